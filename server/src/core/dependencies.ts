/**
 * Which files read which: `FileResult.dependencies` gives each analysed file's imports and prompt
 * files; this reverse index answers "what must be re-analysed when `prompts.py` changes".
 */
export class DependencyGraph {
  private readonly dependsOn = new Map<string, Set<string>>();
  private readonly dependents = new Map<string, Set<string>>();

  /** Records (replacing any earlier record) the files `file` read during its last analysis. */
  update(file: string, dependencies: readonly string[]): void {
    for (const dep of this.dependsOn.get(file) ?? []) this.dependents.get(dep)?.delete(file);
    const deps = new Set(dependencies);
    this.dependsOn.set(file, deps);
    for (const dep of deps) {
      let set = this.dependents.get(dep);
      if (!set) this.dependents.set(dep, (set = new Set()));
      set.add(file);
    }
  }

  remove(file: string): void {
    this.update(file, []);
    this.dependsOn.delete(file);
  }

  /** Files whose results may change when `file` changes: its dependents, transitively (re-exports chain). */
  affectedBy(file: string): string[] {
    const out = new Set<string>();
    const queue = [file];
    while (queue.length) {
      const f = queue.pop()!;
      for (const d of this.dependents.get(f) ?? []) {
        if (out.has(d) || d === file) continue;
        out.add(d);
        queue.push(d);
      }
    }
    return [...out].sort();
  }
}
