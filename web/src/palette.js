// Design note: curve colours. Okabe & Ito's palette (2008) stays distinguishable under the
// common colour-vision deficiencies; the order puts the most separable hues first, and each
// theme gets a variant whose every colour keeps enough contrast against its background. With all
// eight curves on screen every two colours stay at least 25 apart in CIELAB (the old sky blue
// beside the blue, 12, read as one colour), and each colour is named for the hue it shows in
// its own theme.
export const MAX_CURVES = 8;

const LIGHT = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#B07800', '#5D3A9B', '#333333', '#882255'];
const DARK = ['#56B4E9', '#E69F00', '#2FC39A', '#E08DC0', '#F0E442', '#9B8CFF', '#DDDDDD', '#FF8C5A'];
const LIGHT_NAMES = ['blue', 'vermillion', 'green', 'pink', 'ochre', 'violet', 'dark grey', 'wine'];
const DARK_NAMES = ['sky blue', 'orange', 'green', 'pink', 'yellow', 'lavender', 'light grey', 'coral'];

export const colorOf = (i, theme) => (theme === 'dark' ? DARK : LIGHT)[i % MAX_CURVES];
export const colorName = (i, theme) => (theme === 'dark' ? DARK_NAMES : LIGHT_NAMES)[i % MAX_CURVES];
