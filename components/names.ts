/**
 * Physical names that must fit a cloud's length limit: cut with a stable hash of the whole, so two
 * long names that share a head stay distinct and a name never changes between runs. Pure.
 */

/** FNV-1a of a string as hex: short, stable suffixes for names that must be cut. */
function shortHash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16).padStart(8, "0").slice(0, 6);
}

/**
 * `name` when it has at most `max` characters, otherwise its head plus `-` and a hash of the whole
 * (at most `max`), so cut names stay unique and stable.
 */
export function cutName(name: string, max: number): string {
  if (name.length <= max) return name;
  return `${name.slice(0, max - 7).replace(/-+$/, "")}-${shortHash(name)}`;
}
