/**
 * A strict reader of strongswan.conf's settings grammar (strongswan.conf(5): "keyvalue := key =
 * value\n", "Values must be terminated by a newline"), which swanctl.conf uses: one section
 * opening (`name {`), closing (`}`) or `key = value` per line, `#` comments. Anything the daemon
 * would read differently from what was meant fails here: several settings on a line (`a = b; c =
 * d` is one value to strongSwan), a brace after a value, an unclosed section.
 */
export type Settings = { [key: string]: string | Settings };

const NAME = /^[A-Za-z0-9_.-]+$/;

function unquote(raw: string, line: number): string {
  if (!raw.startsWith('"')) {
    if (/[{};"]/.test(raw)) throw new Error(`line ${line}: value "${raw}" holds { } ; or a quote`);
    return raw;
  }
  let out = "";
  for (let i = 1; i < raw.length; i++) {
    const c = raw[i];
    if (c === "\\") out += raw[++i];
    else if (c === '"') {
      if (i !== raw.length - 1) throw new Error(`line ${line}: text after the closing quote`);
      return out;
    } else out += c;
  }
  throw new Error(`line ${line}: unterminated quoted value`);
}

export function parseStrongswanSettings(text: string): Settings {
  const root: Settings = {};
  const stack: Settings[] = [root];
  text.split("\n").forEach((rawLine, index) => {
    const n = index + 1;
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) return;
    const open = /^(\S+)\s*\{$/.exec(line);
    if (open) {
      if (!NAME.test(open[1])) throw new Error(`line ${n}: bad section name ${open[1]}`);
      const section: Settings = {};
      const top = stack[stack.length - 1];
      if (open[1] in top) throw new Error(`line ${n}: section ${open[1]} twice`);
      top[open[1]] = section;
      stack.push(section);
      return;
    }
    if (line === "}") {
      if (stack.length === 1) throw new Error(`line ${n}: } without a section`);
      stack.pop();
      return;
    }
    const kv = /^([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (!kv || !NAME.test(kv[1])) throw new Error(`line ${n}: not a setting: ${line}`);
    const top = stack[stack.length - 1];
    if (kv[1] in top) throw new Error(`line ${n}: ${kv[1]} set twice`);
    top[kv[1]] = unquote(kv[2], n);
  });
  if (stack.length !== 1) throw new Error(`${stack.length - 1} section(s) never closed`);
  return root;
}
