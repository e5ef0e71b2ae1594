// The longest functions in packages/*/src, measured with the TypeScript compiler's own parser:
// every function declaration, function expression, arrow function, method, accessor and
// constructor, from its first line to its last (nested functions count inside their parent too).
//
//   node scripts/function-lengths.mjs [--top N] [--limit LINES] [--exclude SUBSTRING]...
//
// Lists the N longest (default 15) and exits 1 when one is longer than --limit (default: none).
// Test files (*.test.ts, *.test.tsx) and generated files (*.generated.ts) are left out.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const top = Number(option('--top', '15'));
const limit = option('--limit', null) === null ? Number.POSITIVE_INFINITY : Number(option('--limit'));
const excluded = args.flatMap((a, i) => (args[i - 1] === '--exclude' ? [a] : []));

function sources(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (/\.tsx?$/.test(name) && !/\.(test|test-d)\.tsx?$|\.generated\.ts$|\.d\.ts$/.test(name))
      out.push(path);
  }
  return out;
}

function nameOf(node, file) {
  if (node.name) return node.name.getText(file);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
    return parent.name.getText(file);
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  return '(anonymous)';
}

const root = process.cwd();
const functions = [];
for (const pkg of readdirSync('packages')) {
  let files;
  try {
    files = sources(join('packages', pkg, 'src'));
  } catch {
    continue;
  }
  for (const path of files) {
    const rel = relative(root, path);
    if (excluded.some((e) => rel.includes(e))) continue;
    const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node) => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const start = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
        const end = file.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
        functions.push({ lines: end - start + 1, where: `${rel}:${start}`, name: nameOf(node, file) });
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
}

functions.sort((a, b) => b.lines - a.lines);
for (const f of functions.slice(0, top)) console.log(`${String(f.lines).padStart(5)}  ${f.name}  ${f.where}`);
const over = functions.filter((f) => f.lines > limit);
if (over.length) {
  console.log(`${over.length} function(s) longer than ${limit} lines`);
  process.exit(1);
}
