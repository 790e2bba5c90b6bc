// The two DOM helpers every page module uses.

export const $ = id => document.getElementById(id);

/** A number input's value, or null (the API's default) when empty. */
export function num(id) {
  const text = $(id).value.trim();
  return text === '' ? null : Number(text);
}
