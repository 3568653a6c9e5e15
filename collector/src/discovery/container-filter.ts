import picomatch from 'picomatch';

export interface ContainerFilterConfig {
  nameInclude: readonly string[];
  nameExclude: readonly string[];
  /** `key` (label present) or `key=glob` (label value matches). */
  labelInclude: readonly string[];
  labelExclude: readonly string[];
}

type LabelMatcher = (labels: Readonly<Record<string, string>>) => boolean;

function labelMatcher(selector: string): LabelMatcher {
  const eq = selector.indexOf('=');
  if (eq < 0) return (labels) => Object.hasOwn(labels, selector);
  const key = selector.slice(0, eq);
  const matchesValue = picomatch(selector.slice(eq + 1), { dot: true });
  return (labels) => {
    const value = labels[key];
    return value !== undefined && matchesValue(value);
  };
}

/**
 * Which containers to follow. Globs are compiled here, once, so a bad pattern fails at
 * construction. Empty include lists mean "all"; excludes win over includes.
 */
export class ContainerFilter {
  private readonly nameIncluded: ((name: string) => boolean) | undefined;
  private readonly nameExcluded: ((name: string) => boolean) | undefined;
  private readonly labelIncluded: LabelMatcher[];
  private readonly labelExcluded: LabelMatcher[];

  constructor(config: ContainerFilterConfig) {
    const globs = (patterns: readonly string[]) =>
      patterns.length > 0 ? picomatch([...patterns], { dot: true }) : undefined;
    this.nameIncluded = globs(config.nameInclude);
    this.nameExcluded = globs(config.nameExclude);
    this.labelIncluded = config.labelInclude.map(labelMatcher);
    this.labelExcluded = config.labelExclude.map(labelMatcher);
  }

  /** `name` without the Engine's leading slash. */
  matches(name: string, labels: Readonly<Record<string, string>>): boolean {
    if (this.nameIncluded && !this.nameIncluded(name)) return false;
    if (this.nameExcluded?.(name)) return false;
    if (this.labelIncluded.length > 0 && !this.labelIncluded.some((m) => m(labels))) return false;
    return !this.labelExcluded.some((m) => m(labels));
  }
}
