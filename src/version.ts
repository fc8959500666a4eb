// Replaced at build time with package.json's version; read from it when running from source.
declare const __SPREEFLO_SCAN_VERSION__: string | undefined;
export const TOOL_VERSION: string =
  typeof __SPREEFLO_SCAN_VERSION__ === 'string' ? __SPREEFLO_SCAN_VERSION__ : '0.0.0-dev';
