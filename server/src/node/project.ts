/**
 * The host side of cross-file reading: resolves imported modules and prompt-file paths on disk,
 * relative to the scan root, and reads them (cached, size-limited, never outside the file system).
 */
import { statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ProjectSources, SourceText } from '../core/project';
import { readSource } from './source';

const TS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export class FsProjectSources implements ProjectSources {
  private readonly cache = new Map<string, string | null>();

  /** `root`: the directory analysed paths are relative to. */
  constructor(private readonly root: string) {}

  module(fromPath: string, specifier: string, language: 'python' | 'typescript'): SourceText | null {
    const from = this.abs(fromPath);
    const candidates = language === 'python' ? this.pythonCandidates(from, specifier) : this.tsCandidates(from, specifier);
    return this.first(candidates);
  }

  file(fromPath: string, path: string): SourceText | null {
    if (isAbsolute(path)) return this.first([path]);
    // Relative to the code's own directory, else to the project root (the usual working directory).
    return this.first([join(dirname(this.abs(fromPath)), path), join(this.root, path)]);
  }

  private pythonCandidates(from: string, specifier: string): string[] {
    const dots = /^\.*/.exec(specifier)?.[0].length ?? 0;
    const rest = specifier.slice(dots).split('.').filter(Boolean);
    const files = (base: string) => (rest.length ? [join(base, ...rest) + '.py', join(base, ...rest, '__init__.py')] : [join(base, '__init__.py')]);
    if (dots) {
      let base = dirname(from);
      for (let i = 1; i < dots; i++) base = dirname(base);
      return files(base);
    }
    // Absolute imports: the package may sit at any level between the file and the root (src layouts).
    const out: string[] = [];
    for (let dir = dirname(from); ; dir = dirname(dir)) {
      out.push(...files(dir));
      if (dir === this.root || !dir.startsWith(this.root) || dirname(dir) === dir) break;
    }
    return out;
  }

  private tsCandidates(from: string, specifier: string): string[] {
    let base: string;
    if (specifier.startsWith('.')) base = resolve(dirname(from), specifier);
    else if (/^[@~]\//.test(specifier)) return [...this.withExtensions(join(this.root, specifier.slice(2))), ...this.withExtensions(join(this.root, 'src', specifier.slice(2)))];
    else return []; // packages in node_modules are not project code
    return this.withExtensions(base);
  }

  private withExtensions(base: string): string[] {
    const stem = base.replace(/\.(m|c)?js$/, '');
    return [base, ...TS_EXTENSIONS.map((e) => stem + e), ...TS_EXTENSIONS.map((e) => join(base, `index${e}`))];
  }

  private first(paths: string[]): SourceText | null {
    for (const p of paths) {
      const text = this.read(p);
      if (text !== null) return { path: relative(this.root, p).split(sep).join('/'), text };
    }
    return null;
  }

  private read(path: string): string | null {
    if (this.cache.has(path)) return this.cache.get(path) ?? null;
    let text: string | null = null;
    try {
      // Most candidates (`./x.ts`, `./x.tsx`, `./x/index.ts`…) do not exist: no exception for those.
      if (statSync(path, { throwIfNoEntry: false })?.isFile()) {
        const read = readSource(path);
        text = read.ok ? read.text : null;
      }
    } catch {
      text = null;
    }
    this.cache.set(path, text);
    return text;
  }

  /** Files changed on disk (or appeared, or went): read them again when next asked. */
  forgetReads(): void {
    this.cache.clear();
  }

  private abs(p: string): string {
    return isAbsolute(p) ? p : join(this.root, p);
  }
}
