export declare const CHROMIUM_PATH: string;
export declare const CHROMIUM_ARGS: readonly string[];
export declare function chromiumLaunchOptions(): { executablePath: string; args: string[] };
export declare function browserBundleOptions(entryPoint: string): {
  entryPoints: string[];
  bundle: true;
  write: false;
  format: 'esm';
  platform: 'browser';
  target: string;
  minify: false;
  conditions: string[];
  logLevel: 'warning';
};
