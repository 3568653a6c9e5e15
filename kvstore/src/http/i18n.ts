// Titles of every problem code in both supported languages. Codes are the stable contract;
// titles are for people and follow Accept-Language.
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

export const PROBLEM_CODES = [
  'KEY_NOT_FOUND',
  'KEY_INVALID',
  'KEY_TOO_LONG',
  'VALUE_INVALID',
  'VALUE_TOO_LARGE',
  'TTL_INVALID',
  'BODY_INVALID',
  'QUERY_INVALID',
  'CURSOR_INVALID',
  'PRECONDITION_FAILED',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'CSRF_FAILED',
  'LOGIN_FAILED',
  'REGISTRATION_CLOSED',
  'USER_EXISTS',
  'TOKEN_NOT_FOUND',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'UNSUPPORTED_MEDIA_TYPE',
  'NOT_READY',
  'RATE_LIMITED',
  'INTERNAL',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export const PROBLEM_TITLES: Record<Language, Record<ProblemCode, string>> = {
  en: {
    KEY_NOT_FOUND: 'Key not found',
    KEY_INVALID: 'Invalid key',
    KEY_TOO_LONG: 'Key is longer than 512 bytes',
    VALUE_INVALID: 'Invalid value',
    VALUE_TOO_LARGE: 'Value is too large',
    TTL_INVALID: 'Invalid TTL',
    BODY_INVALID: 'Invalid request body',
    QUERY_INVALID: 'Invalid query parameter',
    CURSOR_INVALID: 'Invalid cursor',
    PRECONDITION_FAILED: 'Precondition failed',
    UNAUTHORIZED: 'Authentication required',
    FORBIDDEN: 'Not allowed',
    CSRF_FAILED: 'Missing or wrong CSRF token',
    LOGIN_FAILED: 'Wrong user name or password',
    REGISTRATION_CLOSED: 'Registration is closed',
    USER_EXISTS: 'User already exists',
    TOKEN_NOT_FOUND: 'Token not found',
    NOT_FOUND: 'Not found',
    METHOD_NOT_ALLOWED: 'Method not allowed',
    UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
    NOT_READY: 'Service is not ready',
    RATE_LIMITED: 'Too many requests',
    INTERNAL: 'Internal error',
  },
  'zh-CN': {
    KEY_NOT_FOUND: '键不存在',
    KEY_INVALID: '键无效',
    KEY_TOO_LONG: '键超过 512 字节',
    VALUE_INVALID: '值无效',
    VALUE_TOO_LARGE: '值过大',
    TTL_INVALID: 'TTL 无效',
    BODY_INVALID: '请求体无效',
    QUERY_INVALID: '查询参数无效',
    CURSOR_INVALID: '游标无效',
    PRECONDITION_FAILED: '前置条件不满足',
    UNAUTHORIZED: '需要身份验证',
    FORBIDDEN: '无权执行此操作',
    CSRF_FAILED: 'CSRF 令牌缺失或错误',
    LOGIN_FAILED: '用户名或密码错误',
    REGISTRATION_CLOSED: '注册已关闭',
    USER_EXISTS: '用户已存在',
    TOKEN_NOT_FOUND: '令牌不存在',
    NOT_FOUND: '未找到',
    METHOD_NOT_ALLOWED: '不允许的方法',
    UNSUPPORTED_MEDIA_TYPE: '不支持的媒体类型',
    NOT_READY: '服务尚未就绪',
    RATE_LIMITED: '请求过于频繁',
    INTERNAL: '内部错误',
  },
};

/** Picks the best supported language from an Accept-Language header (q-values honoured). */
export function pickLanguage(header: string | undefined, fallback: Language): Language {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim().toLowerCase(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.tag !== '' && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
    if (tag === '*') return fallback;
  }
  return fallback;
}
