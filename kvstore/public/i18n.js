// Every string of the console, in English and Simplified Chinese. Keys used with {name}
// placeholders are filled by format(); values are inserted as text, never as HTML.
export const LANGUAGES = ['en', 'zh-CN'];

export const MESSAGES = {
  en: {
    title: 'kvstore',
    language: 'Language',
    logout: 'Log out',
    loginTitle: 'Log in',
    username: 'User name',
    password: 'Password',
    login: 'Log in',
    addTitle: 'Add a key',
    key: 'Key',
    value: 'Value',
    ttl: 'TTL (seconds, 0 = none)',
    ttlShort: 'TTL',
    add: 'Add',
    keysTitle: 'Keys',
    prefix: 'Prefix',
    refresh: 'Refresh',
    export: 'Export JSON',
    import: 'Import JSON',
    actions: 'Actions',
    empty: 'No keys.',
    prev: 'Previous',
    next: 'Next',
    page: 'Page {n}',
    edit: 'Edit',
    save: 'Save',
    cancel: 'Cancel',
    delete: 'Delete',
    confirmDelete: 'Really delete?',
    noExpiry: 'none',
    expired: 'expired',
    seconds: '{n} s',
    signedInAs: 'Signed in as {user}',
    added: 'Added {key}.',
    saved: 'Saved {key}.',
    deleted: 'Deleted {key}.',
    exists: 'Key {key} already exists; edit it in the table.',
    conflict: '{key} was changed by someone else; the table is reloaded.',
    imported: 'Imported {n} keys.',
    exported: 'Exported {n} keys.',
    badImport: 'The file is not a kvstore export.',
    loginFailed: 'Wrong user name or password.',
    sessionEnded: 'Your session ended; please log in again.',
    error: 'Error: {message}',
  },
  'zh-CN': {
    title: 'kvstore 键值存储',
    language: '语言',
    logout: '退出登录',
    loginTitle: '登录',
    username: '用户名',
    password: '密码',
    login: '登录',
    addTitle: '添加键',
    key: '键',
    value: '值',
    ttl: 'TTL（秒，0 表示不过期）',
    ttlShort: 'TTL',
    add: '添加',
    keysTitle: '键列表',
    prefix: '前缀',
    refresh: '刷新',
    export: '导出 JSON',
    import: '导入 JSON',
    actions: '操作',
    empty: '没有键。',
    prev: '上一页',
    next: '下一页',
    page: '第 {n} 页',
    edit: '编辑',
    save: '保存',
    cancel: '取消',
    delete: '删除',
    confirmDelete: '确认删除？',
    noExpiry: '无',
    expired: '已过期',
    seconds: '{n} 秒',
    signedInAs: '当前用户：{user}',
    added: '已添加 {key}。',
    saved: '已保存 {key}。',
    deleted: '已删除 {key}。',
    exists: '键 {key} 已存在，请在表格中编辑。',
    conflict: '{key} 已被他人修改，表格已重新加载。',
    imported: '已导入 {n} 个键。',
    exported: '已导出 {n} 个键。',
    badImport: '该文件不是 kvstore 导出文件。',
    loginFailed: '用户名或密码错误。',
    sessionEnded: '会话已结束，请重新登录。',
    error: '错误：{message}',
  },
};

/** The message for `id` in `language` with {placeholders} replaced. */
export function format(language, id, params = {}) {
  const table = MESSAGES[language] ?? MESSAGES.en;
  const template = table[id] ?? MESSAGES.en[id] ?? id;
  return template.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

/** Best supported language for a list like navigator.languages. */
export function preferredLanguage(candidates) {
  for (const tag of candidates ?? []) {
    const lower = String(tag).toLowerCase();
    if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
  }
  return 'en';
}
