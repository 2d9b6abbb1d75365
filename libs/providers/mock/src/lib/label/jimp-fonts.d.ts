/**
 * jimp 1.6 publishes `jimp/fonts` only through package.json `exports`, which TypeScript's
 * `moduleResolution: node` (this workspace's setting) does not read; Node itself resolves it.
 * The constants are paths to the bundled BMFont files.
 */
declare module 'jimp/fonts' {
  export const SANS_16_BLACK: string;
  export const SANS_32_BLACK: string;
  export const SANS_64_BLACK: string;
}
