// Design note: curve colours. Okabe & Ito's palette (2008) stays distinguishable under the
// common colour-vision deficiencies; the order puts the most separable hues first, and each
// theme gets a variant whose every colour keeps enough contrast against its background.
export const MAX_CURVES = 8;

const LIGHT = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#B07800', '#3C8DC4', '#333333', '#8A7A00'];
const DARK = ['#56B4E9', '#E69F00', '#2FC39A', '#E08DC0', '#F0E442', '#7AA7FF', '#DDDDDD', '#FF8C5A'];
const NAMES = ['blue', 'vermillion', 'green', 'purple', 'orange', 'sky blue', 'grey', 'yellow'];

export const colorOf = (i, theme) => (theme === 'dark' ? DARK : LIGHT)[i % MAX_CURVES];
export const colorName = (i) => NAMES[i % MAX_CURVES];
