/**
 * A face photo for a demo card: an SVG silhouette with the holder's initials,
 * so that every demo card looks like a card and no real face is needed.
 */
export function demoPhoto(name: string, index: number): string {
  const initials = name
    .split(/\s+/)
    .map((word) => word.charAt(0).toUpperCase())
    .join('')
    .replace(/[^A-Z]/g, '')
    .slice(0, 2);
  const hue = (index * 67 + 200) % 360;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="90" height="120" viewBox="0 0 90 120">` +
    `<rect width="90" height="120" fill="hsl(${hue},45%,88%)"/>` +
    `<circle cx="45" cy="46" r="22" fill="hsl(${hue},30%,55%)"/>` +
    `<path d="M10 120c0-26 16-40 35-40s35 14 35 40z" fill="hsl(${hue},30%,55%)"/>` +
    `<text x="45" y="53" font-family="sans-serif" font-size="18" text-anchor="middle" fill="#fff">${initials}</text>` +
    `</svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
