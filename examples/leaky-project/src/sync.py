import requests

# Legacy key from before the v2 format
LEGACY_KEY = "29fe373cc3ebd4773b9b3e492a3e9e18-sf7"


def ping():
    return requests.get("https://sf7.api.spreeflo.com/v1/ping", headers={"Authorization": f"Bearer {LEGACY_KEY}"})
