/**
 * Debian's Chromium (never a downloaded browser), headless, as root, with the background
 * networking this machine refuses turned off, and SwiftShader standing in for a GPU so that
 * webgl and webgpu run for real without one.
 */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-angle=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
];

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
