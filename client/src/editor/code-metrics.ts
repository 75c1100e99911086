/**
 * The code's typography, shared by Monaco and by the plain view shown while Monaco loads: with the same
 * font, size, line height and top padding, swapping one for the other does not move the text vertically.
 * The font family is Monaco's own default for the platform, spelled out so that both use the same one.
 */
export const CODE_FONT_SIZE_PX = 14;
export const CODE_LINE_HEIGHT_PX = 21;
export const CODE_PADDING_TOP_PX = 12;
export const CODE_PADDING_BOTTOM_PX = 12;
export const CODE_TAB_SIZE = 2;

const MAC_FONT_FAMILY = "Menlo, Monaco, 'Courier New', monospace";
const WINDOWS_FONT_FAMILY = "Consolas, 'Courier New', monospace";
const OTHER_FONT_FAMILY = "'Droid Sans Mono', monospace";

/** Monaco's default font family, chosen from the user agent the way Monaco does. */
export function codeFontFamily(userAgent: string = navigator.userAgent): string {
  if (userAgent.includes('Macintosh')) return MAC_FONT_FAMILY;
  if (userAgent.includes('Windows')) return WINDOWS_FONT_FAMILY;
  return OTHER_FONT_FAMILY;
}
