// RFC 9457 problem details. Every error the API returns is one of these, with a stable `code`.
import { type Language, PROBLEM_TITLES, type ProblemCode } from './i18n.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

/** An error that maps to one HTTP problem response. Throw it from handlers. */
export class HttpProblem extends Error {
  override name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? code);
  }
}

export function problemBody(problem: HttpProblem, language: Language, instance?: string): ProblemBody {
  const body: ProblemBody = {
    type: `urn:kvstore:problem:${problem.code.toLowerCase().replaceAll('_', '-')}`,
    title: PROBLEM_TITLES[language][problem.code],
    status: problem.status,
    code: problem.code,
    ...problem.extensions,
  };
  if (problem.detail !== undefined) body.detail = problem.detail;
  if (instance !== undefined) body.instance = instance;
  return body;
}
