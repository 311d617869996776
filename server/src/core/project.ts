/**
 * Cross-file reading: constants imported from other modules (`from .prompts import SYSTEM_PROMPT`,
 * `import { PERSONA } from './prompts'`) and prompt templates read from files
 * (`Path(__file__).parent / "prompts" / "reply.txt"`). The host supplies the sources (it does the
 * IO); the core lowers each module once per version and records what each file depended on, so an
 * edit to `prompts.py` can re-estimate the calls that use it.
 */
import type { Parser } from 'web-tree-sitter';
import type { FileIR } from './ir';
import { lowerPython } from './languages/python';
import { lowerTypeScript } from './languages/typescript';

export interface SourceText {
  /** The path as the host knows it (the same form as analysed files' paths). */
  path: string;
  text: string;
}

export interface ProjectSources {
  /** The module `specifier` imported from `fromPath` (`.prompts`, `app.prompts`, `./prompts`), or null. */
  module(fromPath: string, specifier: string, language: 'python' | 'typescript'): SourceText | null;
  /** A file that code at `fromPath` reads (`prompts/reply.txt`, already joined with the code's base directory). */
  file(fromPath: string, path: string): SourceText | null;
}

export interface LinkedModule {
  path: string;
  text: string;
  ir: FileIR;
}

const caches = new WeakMap<ProjectSources, Map<string, LinkedModule>>();

/** Loads and lowers other modules for one analysed file, remembering what it read. */
export class Linker {
  readonly dependencies = new Set<string>();
  private readonly cache: Map<string, LinkedModule>;

  constructor(
    readonly fromPath: string,
    private readonly sources: ProjectSources,
    private readonly pythonParser: Parser | null,
  ) {
    let c = caches.get(sources);
    if (!c) caches.set(sources, (c = new Map()));
    this.cache = c;
  }

  module(fromPath: string, specifier: string, language: 'python' | 'typescript'): LinkedModule | null {
    const src = this.sources.module(fromPath, specifier, language);
    if (!src) return null;
    this.dependencies.add(src.path);
    const cached = this.cache.get(src.path);
    if (cached && cached.text === src.text) return cached;
    const ir = language === 'python' ? (this.pythonParser ? lowerPython(src.text, this.pythonParser) : null) : lowerTypeScript(src.path, src.text);
    if (!ir) return null;
    const linked = { path: src.path, text: src.text, ir };
    this.cache.set(src.path, linked);
    return linked;
  }

  file(fromPath: string, path: string): SourceText | null {
    const src = this.sources.file(fromPath, path);
    if (src) this.dependencies.add(src.path);
    return src;
  }
}
