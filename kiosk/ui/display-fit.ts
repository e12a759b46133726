// How the kiosk's screens fit the display they are shown on. The screens are laid out for a landscape panel of
// 1280×800 CSS px (a multi-copy machine's); real kiosks have others. Pure: the size in, the fit out; main.tsx applies
// it to the page (a CSS zoom on #app, and data attributes the style sheet reads).
//
// - Larger panels (1920×1080, 1280×1024 …) zoom the screens up until one side is full: text and targets grow with the
//   panel, the other side gets the spare room (1920×1080 → ×1.35, laid out in 1422×800).
// - Portrait panels (1080×1920) are laid out in a width of 960 and zoomed to fill it (×1.125): the columns stack.
// - Panels narrower than the seven language buttons need (under 1280 laid out) fold them into one control.
// - Small terminals (under 1024×720, such as 800×480) are zoomed down, at most to ×0.75 (800×480 → laid out in
//   1066×640): their type is 16.5 px (22 px elsewhere). Screens taller than that keep their header and footer and
//   scroll their content, with its scroll bar shown (our choice: type any smaller would break the 16 pt guidance
//   further than a small panel already does; a scroll keeps every word at that size and the buttons in place).

/** The layout the screens are designed at. */
export const DESIGN = { width: 1280, height: 800 } as const;
/** The narrowest layout the screens are built to hold in landscape, and the width a portrait panel is laid out in. */
export const NARROWEST = 1024;
export const PORTRAIT_WIDTH = 960;
/** A small terminal's screens shrink no further than this. */
export const SMALLEST_ZOOM = 0.75;
/** Under this height (laid out) the header and footer give up some of theirs. */
export const COMPACT_HEIGHT = 780;

export interface DisplayFit {
  /** CSS zoom applied to the screens. */
  zoom: number;
  /** The size the screens are laid out in (CSS px before the zoom). */
  width: number;
  height: number;
  /** The language buttons fold into one control. */
  fold: boolean;
  portrait: boolean;
  /** Header, footer and keypad a little shorter, for layouts under 780 px high (1366×768, 1024×768, 800×480). */
  compact: boolean;
  /** A small terminal's panel, zoomed down: the one size where a long screen's content scrolls (its frame stays). */
  small: boolean;
}

const round = (z: number) => Math.round(z * 1000) / 1000;

export function displayFit(screenWidth: number, screenHeight: number): DisplayFit {
  const w = Math.max(1, Math.round(screenWidth));
  const h = Math.max(1, Math.round(screenHeight));
  const portrait = h > w;
  let zoom: number;
  if (portrait) zoom = Math.max(SMALLEST_ZOOM, w / PORTRAIT_WIDTH);
  else {
    const up = Math.min(w / DESIGN.width, h / DESIGN.height);
    if (up >= 1) zoom = up;
    else if (w >= NARROWEST && h >= 720) zoom = 1;
    else zoom = Math.max(SMALLEST_ZOOM, Math.min(1, w / NARROWEST, h / 640));
  }
  zoom = round(zoom);
  const width = Math.floor(w / zoom);
  const height = Math.floor(h / zoom);
  return { zoom, width, height, fold: width < DESIGN.width, portrait, compact: !portrait && height < COMPACT_HEIGHT, small: zoom < 1 };
}

/** Applies the fit to the page now and whenever the window changes size. Returns a function that stops it. */
export function installDisplayFit(win: Window, root: HTMLElement): () => void {
  const apply = () => {
    const fit = displayFit(win.innerWidth, win.innerHeight);
    root.style.setProperty('--fit-zoom', String(fit.zoom));
    root.style.setProperty('--fit-width', `${fit.width}px`);
    root.style.setProperty('--fit-height', `${fit.height}px`);
    root.toggleAttribute('data-fold', fit.fold);
    root.toggleAttribute('data-portrait', fit.portrait);
    root.toggleAttribute('data-compact', fit.compact);
    root.toggleAttribute('data-small', fit.small);
  };
  apply();
  win.addEventListener('resize', apply);
  return () => win.removeEventListener('resize', apply);
}
