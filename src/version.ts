/** The program version, written into every saved fit. Keep in step with package.json. */
export const VERSION = '0.1.0';
