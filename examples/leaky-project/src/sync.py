import requests

# Legacy key from before the v2 format
LEGACY_KEY = "25cb257fab5a20f4284a1675da214991-sf7"


def ping():
    return requests.get("https://sf7.api.spreeflo.com/v1/ping", headers={"Authorization": f"Bearer {LEGACY_KEY}"})
