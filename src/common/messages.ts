// Every message a person may read in an error (`userErrors[].message`, a top-level GraphQL error's
// `message`, a plain route's `{ error: { message } }`), in each language the API speaks. Codes,
// fields and extensions never change with the language; only these texts do. A throw site names
// its entry and parameters (`M.alreadyClaimed({ who, when })`); the text is rendered where the
// error reaches the client (error-mapping.ts), in the viewer's language (language.ts). English is
// also what the logs say.

export type Language = 'en' | 'zh-CN';

export const LANGUAGES: readonly Language[] = ['en', 'zh-CN'];

/** One message to render: its catalogue entry and parameters. */
export interface Message {
  readonly key: string;
  readonly params: Readonly<Record<string, unknown>>;
  text(language: Language): string;
}

type Template<P> = (p: P) => string;

/** A catalogue entry: called with its parameters, it gives the Message. */
export type Entry<P extends object> = ([keyof P] extends [never] ? () => Message : (params: P) => Message) & {
  /** Parameters to render the entry with in tests (and what its parameters are). */
  readonly sample: P;
  readonly templates: Readonly<Record<Language, Template<P>>>;
  /** Its name in the catalogue. */
  readonly key: string;
};

// `sample` types the entry's parameters and lets tests render every entry in every language.
function entry<P extends object>(sample: P, en: Template<P>, zh: Template<P>): Entry<P> {
  const templates = { en, 'zh-CN': zh };
  const self = Object.assign(
    (params: P = {} as P): Message => ({
      key: self.key,
      params: params as Record<string, unknown>,
      text: (language) => templates[language](params),
    }),
    { sample, templates, key: '' },
  );
  return self as unknown as Entry<P>;
}

// --- Terms, as the product manual, print pages and CSV headers say them -----------------------

/** Records named in messages ("Customer not found"): the English as the code names it. */
const RECORDS_ZH: Record<string, string> = {
  record: '记录',
  customer: '客户',
  user: '用户',
  manager: '上级',
  contact: '联系人',
  'related contact': '关联联系人',
  contactrelation: '社会关系',
  relation: '社会关系',
  interaction: '交往记录',
  quote: '报价单',
  quoteitem: '报价明细',
  'quote item': '报价明细',
  'quote line': '报价明细',
  contract: '合同',
  receivable: '应收',
  receipt: '收款记录',
  attachment: '附件',
  'api key': 'API 密钥',
  apikey: 'API 密钥',
  ownershipevent: '领用记录',
  documentaccess: '文档访问记录',
  notification: '消息',
  settings: '客户池规则',
};

/** A record's name in Chinese (the English one when the catalogue has none). */
export function recordZh(what: string): string {
  return RECORDS_ZH[what.toLowerCase()] ?? RECORDS_ZH[what.toLowerCase().replace(/\s+/g, '')] ?? what;
}

/** Statuses of customers, quotes and contracts, as the print pages show them. */
const STATUS_ZH: Record<string, string> = {
  IN_POOL: '未领用',
  OWNED: '已领用',
  ARCHIVED: '已删除',
  DRAFT: '草稿',
  SENT: '已发送',
  ACCEPTED: '已接受',
  REJECTED: '已拒绝',
  EXPIRED: '已过期',
  ACTIVE: '执行中',
  COMPLETED: '已完成',
  TERMINATED: '已终止',
};
const statusZh = (status: string) => `“${STATUS_ZH[status] ?? status}”`;
const statusEn = (status: string) => status.toLowerCase().replace(/_/g, ' ');

/** Actions on customers (CustomerAction and ownership transitions), as the manual names them. */
const ACTION_ZH: Record<string, string> = {
  CLAIM: '领用',
  RETURN: '归还',
  ASSIGN: '指派',
  RECLAIM: '收回',
  SHARE: '共享',
  UNSHARE: '取消共享',
  EDIT: '修改',
  ARCHIVE: '删除',
  RESTORE: '恢复',
  HANDOVER: '移交',
  HAND_OVER: '移交',
  AUTO_RETURN: '自动退回客户池',
  SWEEP: '自动退回客户池',
  CREATE: '新建',
  CREATE_AND_CLAIM: '新建并领用',
  VIEW: '查看',
  DELETE: '删除',
};
const actionZh = (action: string) => ACTION_ZH[action] ?? action;
const actionEn = (action: string) => action.toLowerCase().replace(/_/g, ' ');

/** A moment for Chinese readers: `2026-03-05 14:30 UTC` (English keeps ISO 8601). */
function zhTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const list = (items: readonly string[], lang: Language) => items.join(lang === 'en' ? ', ' : '、');

/** Text PostgreSQL can't store, or a value nested too deep (text.ts, input-text.ts). */
const UNSTORABLE = entry(
  { problem: 'NUL' as 'NUL' | 'SURROGATE' | 'DEPTH', codePoint: 'D800', depth: 32 },
  (p) =>
    ({
      NUL: 'contains a NUL character (U+0000)',
      SURROGATE: `contains an unpaired surrogate (U+${p.codePoint}): not valid Unicode text`,
      DEPTH: `nests more than ${p.depth} levels deep`,
    })[p.problem],
  (p) =>
    ({
      NUL: '含有空字符（U+0000）',
      SURROGATE: `含有不成对的代理字符（U+${p.codePoint}），不是有效的 Unicode 文本`,
      DEPTH: `嵌套超过 ${p.depth} 层`,
    })[p.problem],
);

// --- The catalogue ------------------------------------------------------------------------------

export const M = {
  // Signing in and the request as a whole
  signInFirst: entry(
    {},
    () => 'Sign in first: send Authorization: Bearer <token>',
    () => '请先登录：请求需带上 Authorization: Bearer <令牌>',
  ),
  tokenInvalid: entry(
    {},
    () => 'Invalid, expired or ended token or API key: sign in again',
    () => '令牌或 API 密钥无效、已过期或已注销：请重新登录',
  ),
  linkInvalid: entry({}, () => 'Invalid or expired link: ask for a new one', () => '链接无效或已过期：请重新获取链接'),
  linkForOtherDocument: entry({}, () => 'This link was made for another document', () => '此链接属于另一份文档'),
  invalidCredentials: entry({}, () => 'Unknown email or wrong password', () => '邮箱不存在或密码错误'),
  accountDeactivated: entry({}, () => 'This account is deactivated', () => '该账号已停用'),
  accountChangedWhileSigningIn: entry(
    {},
    () => 'The account changed while signing in: sign in again',
    () => '登录期间账号发生了变化：请重新登录',
  ),
  wrongCurrentPassword: entry({}, () => 'The current password is wrong', () => '当前密码不正确'),
  samePassword: entry({}, () => 'The new password is the current one', () => '新密码与当前密码相同'),
  notSessionToken: entry(
    {},
    () => 'This request was not signed in with a session token',
    () => '此请求不是用登录令牌发出的',
  ),
  tooManySignIns: entry(
    { seconds: 30 },
    (p) => `Too many failed sign-ins; try again in ${p.seconds} s`,
    (p) => `登录失败次数过多，请 ${p.seconds} 秒后再试`,
  ),
  tooManyRequests: entry(
    { what: 'duplicate checks', limit: 30, windowSeconds: 60, seconds: 12 },
    (p) => `Too many ${p.what} (at most ${p.limit} in ${p.windowSeconds} s); try again in ${p.seconds} s`,
    (p) => `${WHAT_ZH[p.what] ?? p.what}过于频繁（${p.windowSeconds} 秒内最多 ${p.limit} 次），请 ${p.seconds} 秒后再试`,
  ),
  serverBusy: entry({ seconds: 2 }, (p) => `The server is busy; retry in ${p.seconds} s`, (p) => `服务器繁忙，请 ${p.seconds} 秒后重试`),
  uploadsBusy: entry(
    { seconds: 2 },
    (p) => `Too many uploads at once; retry in ${p.seconds} s`,
    (p) => `同时上传的文件过多，请 ${p.seconds} 秒后重试`,
  ),
  timeout: entry({}, () => 'The request took too long and was cancelled', () => '请求处理时间过长，已被取消'),
  internalError: entry(
    { requestId: 'req-1' },
    (p) => `Internal server error (request ${p.requestId})`,
    (p) => `服务器内部错误（请求编号 ${p.requestId}）`,
  ),
  queryTooDeep: entry(
    { depth: 14, limit: 12 },
    (p) => `Query depth ${p.depth} exceeds the limit of ${p.limit}`,
    (p) => `查询嵌套深度 ${p.depth} 超过上限 ${p.limit}`,
  ),
  tooManyAliases: entry(
    { aliases: 40, limit: 30 },
    (p) => `The query uses ${p.aliases} aliases; the limit is ${p.limit}`,
    (p) => `查询使用了 ${p.aliases} 个别名，上限为 ${p.limit} 个`,
  ),
  queryTooCostly: entry(
    { cost: 12000, limit: 10000 },
    (p) => `Estimated query cost ${p.cost} exceeds the limit of ${p.limit}; ask for smaller pages`,
    (p) => `查询的估算成本 ${p.cost} 超过上限 ${p.limit}，请减小每页条数`,
  ),
  pageSizeInQuery: entry(
    { arg: 'first', max: 100, field: 'customers', value: 500 },
    (p) => `${p.arg} must be between 1 and ${p.max} (${p.field}(${p.arg}: ${p.value}))`,
    (p) => `${p.arg} 必须在 1 到 ${p.max} 之间（${p.field}(${p.arg}: ${p.value})）`,
  ),
  costAboveBucket: entry(
    { cost: 2000, size: 1000 },
    (p) => `This query costs ${p.cost} points, more than the ${p.size} your rate limit holds; ask for smaller pages`,
    (p) => `此查询需要 ${p.cost} 点，超过您的限流额度 ${p.size} 点，请减小每页条数`,
  ),
  throttled: entry(
    { cost: 200, available: 50, seconds: 3 },
    (p) => `Rate limit: this query costs ${p.cost} points and ${p.available} are available; retry in ${p.seconds} s`,
    (p) => `已达限流：此查询需要 ${p.cost} 点，当前可用 ${p.available} 点，请 ${p.seconds} 秒后重试`,
  ),

  // Roles and API keys
  notAllowedForRole: entry({}, () => 'Not allowed for your role', () => '您的角色无权执行此操作'),
  adminsOnly: entry(
    { action: 'CREATE_USERS' as AdminAction },
    (p) => ADMIN_ACTIONS[p.action].en,
    (p) => ADMIN_ACTIONS[p.action].zh,
  ),
  keyCannotCall: entry(
    { field: 'createApiKey' },
    (p) => `An API key cannot call ${p.field}: sign in as the person`,
    (p) => `API 密钥不能调用 ${p.field}：请以本人身份登录`,
  ),
  keyLacksScope: entry(
    { scope: 'CUSTOMERS_WRITE', field: 'updateCustomer' as string | null },
    (p) => `This API key lacks the ${p.scope} scope that ${p.field ?? 'this request'} needs`,
    (p) => `此 API 密钥缺少${p.field ? ` ${p.field} ` : '此请求'}所需的 ${p.scope} 权限范围`,
  ),
  keyNameNeedsLetters: entry({}, () => 'name must contain letters or digits', () => 'name 必须包含字母或数字'),
  keyNeedsScope: entry({}, () => 'scopes must name at least one scope', () => 'scopes 至少要包含一个权限范围'),
  scopesBeyondRole: entry(
    { scopes: ['USERS_WRITE'] as readonly string[] },
    (p) => `Your role cannot give a key the ${list(p.scopes, 'en')} scope`,
    (p) => `您的角色不能为密钥授予 ${list(p.scopes, 'zh-CN')} 权限范围`,
  ),
  expiryInPast: entry({}, () => 'expiresAt must be in the future', () => 'expiresAt 必须是将来的时间'),
  keyRateLimitInvalid: entry(
    {},
    () => 'rateLimit needs points >= 1 and restorePerSecond > 0',
    () => 'rateLimit 要求 points 不小于 1，且 restorePerSecond 大于 0',
  ),
  keyRateLimitTooHigh: entry(
    { size: 1000, rate: 50 },
    (p) => `rateLimit may be at most ${p.size} points and ${p.rate} per second (RATE_LIMIT_API_KEY); ask an admin for more`,
    (p) => `rateLimit 最多为 ${p.size} 点、每秒恢复 ${p.rate} 点（RATE_LIMIT_API_KEY），如需更多请联系管理员`,
  ),
  keyRevoked: entry({}, () => 'This API key is revoked already', () => '此 API 密钥已被吊销'),

  // Records in general
  notFound: entry({ what: 'Customer' }, (p) => `${p.what} not found`, (p) => `${recordZh(p.what)}不存在`),
  staleVersion: entry(
    { what: 'customer', expected: 3, actual: 4 },
    (p) => `The ${p.what} changed since version ${p.expected} (now ${p.actual}); reload and try again`,
    (p) => `${recordZh(p.what)}在版本 ${p.expected} 之后已被修改（当前版本 ${p.actual}），请刷新后重试`,
  ),
  staleVersionShort: entry(
    { what: 'user', expected: 3, actual: 4 },
    (p) => `The ${p.what} changed since version ${p.expected} (now ${p.actual})`,
    (p) => `${recordZh(p.what)}在版本 ${p.expected} 之后已被修改（当前版本 ${p.actual}）`,
  ),
  invalidStatusChange: entry(
    { what: 'quote', from: 'DRAFT', to: 'ACCEPTED', allowed: ['SENT'] as readonly string[] },
    (p) =>
      `A ${p.what} cannot go from ${p.from} to ${p.to}` +
      (p.allowed.length ? `; from ${p.from} it can go to ${p.allowed.join(', ')}` : `; ${p.from} is final`),
    (p) =>
      `${recordZh(p.what)}不能从${statusZh(p.from)}变为${statusZh(p.to)}` +
      (p.allowed.length ? `；${statusZh(p.from)}只能变为${p.allowed.map(statusZh).join('、')}` : `；${statusZh(p.from)}是最终状态`),
  ),
  clearNotAllowed: entry({ field: 'type' }, (p) => `${p.field} cannot be cleared`, (p) => `${p.field} 不能清空`),
  eitherNotBoth: entry(
    { one: 'receivableId', other: 'clearReceivable' },
    (p) => `Pass either ${p.one} or ${p.other}, not both`,
    (p) => `${p.one} 和 ${p.other} 只能传其中一个`,
  ),
  eitherOf: entry(
    { one: 'managerId', other: 'clearManager' },
    (p) => `Pass either ${p.one} or ${p.other}`,
    (p) => `请传 ${p.one} 或 ${p.other} 其中之一`,
  ),
  listedTwice: entry(
    { field: 'customerIds', what: 'customer' },
    (p) => `${p.field} lists a ${p.what} twice`,
    (p) => `${p.field} 中有重复的${recordZh(p.what)}`,
  ),
  idsCount: entry(
    { field: 'ids', max: 100, what: 'ids' },
    (p) => `${p.field} must list 1 to ${p.max} ${p.what}`,
    (p) => `${p.field} 必须包含 1 到 ${p.max} 个${p.what === 'ids' ? ' id' : recordZh(p.what)}`,
  ),
  nameNeedsLetters: entry({}, () => 'name must contain letters or digits', () => 'name 必须包含字母或数字'),
  notInFuture: entry(
    { field: 'birthday', today: '2026-03-05' },
    (p) => `${p.field} must not be in the future (today is ${p.today})`,
    (p) => `${p.field} 不能晚于今天（今天是 ${p.today}）`,
  ),
  dateNotBefore: entry(
    { field: 'endDate', value: '2026-01-01', other: 'startDate', otherValue: '2026-02-01' },
    (p) => `${p.field} (${p.value}) must not be before ${p.other} (${p.otherValue})`,
    (p) => `${p.field}（${p.value}）不能早于 ${p.other}（${p.otherValue}）`,
  ),
  dateNotAfterToday: entry(
    { field: 'receivedOn', value: '2026-04-01', today: '2026-03-05' },
    (p) => `${p.field} (${p.value}) must not be after today (${p.today})`,
    (p) => `${p.field}（${p.value}）不能晚于今天（${p.today}）`,
  ),

  // Lists, pages and filters
  pageSize: entry(
    { field: 'first', max: 100 },
    (p) => `${p.field} must be between 1 and ${p.max}`,
    (p) => `${p.field} 必须在 1 到 ${p.max} 之间`,
  ),
  badCursor: entry(
    { field: 'after' },
    (p) => `${p.field} is not a valid cursor for this list and order`,
    (p) => `${p.field} 不是此列表及排序方式下的有效游标`,
  ),
  cursorPairing: entry({}, () => 'after goes with first, before with last', () => 'after 须与 first 搭配，before 须与 last 搭配'),
  relevanceNeedsSearch: entry({}, () => 'RELEVANCE ordering needs a search', () => '按 RELEVANCE 排序需要提供搜索词'),
  filterTooDeep: entry(
    { max: 5 },
    (p) => `Filters nest at most ${p.max} levels deep`,
    (p) => `组合查询最多嵌套 ${p.max} 层`,
  ),
  filterTooManyConditions: entry(
    { max: 50 },
    (p) => `A filter may combine at most ${p.max} conditions`,
    (p) => `组合查询最多包含 ${p.max} 个条件`,
  ),
  protectionView: entry({}, () => 'view must be MINE or SUBORDINATES', () => 'view 只能是 MINE 或 SUBORDINATES'),
  notificationsIdsOrAll: entry({}, () => 'Pass ids or all: true', () => '请传 ids 或 all: true'),

  // Customers and the pool
  alreadyClaimed: entry(
    { who: 'Zhang Wei' as string | null, you: false, when: '2026-03-05T06:30:00.000Z' as string | null },
    (p) => `Already claimed by ${p.you ? 'you' : (p.who ?? 'someone')}${p.when ? ` at ${p.when}` : ''}`,
    (p) => `该客户已被${p.you ? '您' : (p.who ?? '他人')}${p.when ? `于 ${zhTime(p.when)} ` : ''}领用`,
  ),
  cannotActInStatus: entry(
    { action: 'RETURN', status: 'IN_POOL' },
    (p) => `Cannot ${actionEn(p.action)} a customer that is ${statusEn(p.status)}`,
    (p) => `客户处于${statusZh(p.status)}状态，不能${actionZh(p.action)}`,
  ),
  mayNotActOnCustomer: entry(
    { action: 'EDIT' },
    (p) => `You may not ${actionEn(p.action)} this customer`,
    (p) => `您无权${actionZh(p.action)}此客户`,
  ),
  duplicateCustomer: entry(
    { name: '华为技术有限公司' as string | null, owner: 'Li Na' as string | null },
    (p) => `A customer with this name already exists${p.name ? ` ("${p.name}", ${p.owner ? `owned by ${p.owner}` : 'in the pool'})` : ''}`,
    (p) => `已存在同名客户${p.name ? `（“${p.name}”，${p.owner ? `负责人：${p.owner}` : '在客户池中'}）` : ''}`,
  ),
  duplicateCheckNeedsInput: entry({}, () => 'Pass a name or a phone to check', () => '请提供要检查的客户名称或电话'),
  duplicateKeyTooShort: entry(
    { min: 2 },
    (p) => `name must keep at least ${p.min} letters or digits once spaces, punctuation and company suffixes are left out`,
    (p) => `name 去掉空格、标点和公司后缀（如“有限公司”）后，至少要保留 ${p.min} 个字母或数字`,
  ),
  tooManyMatching: entry(
    { max: 1000 },
    (p) => `More than ${p.max} customers match; narrow the filter`,
    (p) => `符合条件的客户超过 ${p.max} 个，请缩小查询范围`,
  ),
  customerIdsOrMatching: entry(
    {},
    () => 'Pass either customerIds or matching, not both (customerIds: [] with matching)',
    () => 'customerIds 和 matching 只能传其中一个（使用 matching 时请传 customerIds: []）',
  ),
  nothingToSet: entry({}, () => 'Give at least one field to set', () => '请至少提供一个要修改的字段'),
  matchingNotFor: entry(
    { action: 'CLAIM' },
    (p) => `Select all matching works for return, assign, reclaim and share, not ${actionEn(p.action)}`,
    (p) => `全选只适用于归还、指派、收回和共享，不适用于${actionZh(p.action)}`,
  ),
  userListedTwice: entry({ field: 'userIds' }, (p) => `${p.field} lists a user twice`, (p) => `${p.field} 中有重复的用户`),
  userNotFound: entry({ id: 'VXNlcjox' }, (p) => `User ${p.id} not found`, (p) => `用户 ${p.id} 不存在`),
  userDeactivated: entry({ name: 'Li Na' }, (p) => `${p.name} is deactivated`, (p) => `${p.name} 的账号已停用`),
  userAlreadyDeactivated: entry({ name: 'Li Na' }, (p) => `${p.name} is already deactivated`, (p) => `${p.name} 的账号已经停用`),
  alreadyOwns: entry({ name: 'Li Na' }, (p) => `${p.name} already owns this customer`, (p) => `${p.name} 已经是此客户的负责人`),
  assignOnlyBelow: entry(
    { name: 'Li Na' },
    (p) => `You may assign only to yourself or people below you, not ${p.name}`,
    (p) => `您只能把客户指派给自己或下级，不能指派给 ${p.name}`,
  ),
  ownerCannotShare: entry({ name: 'Li Na' }, (p) => `${p.name} owns this customer`, (p) => `${p.name} 是此客户的负责人`),
  ownershipCap: entry(
    { who: 'Li Na' as string | null, owned: 50, cap: 50 },
    (p) => `${p.who === null ? 'You own' : `${p.who} owns`} ${p.owned} customers; the ownership cap is ${p.cap}`,
    (p) => `${p.who ?? '您'}已拥有 ${p.owned} 个客户，拥有上限为 ${p.cap} 个`,
  ),
  dailyClaimLimit: entry(
    { today: 10, limit: 10, timeZone: 'Asia/Shanghai' },
    (p) => `You have claimed ${p.today} customers today; the daily limit is ${p.limit} (a new day starts at midnight ${p.timeZone})`,
    (p) => `您今天已领用 ${p.today} 个客户，每日上限为 ${p.limit} 个（按 ${p.timeZone} 时区零点开始新的一天）`,
  ),
  cooldown: entry(
    { lostAt: '2026-03-01T02:00:00.000Z', until: '2026-03-08T02:00:00.000Z' },
    (p) => `You gave this customer up on ${p.lostAt}; you may claim it again from ${p.until}`,
    (p) => `您已于 ${zhTime(p.lostAt)} 放弃此客户，${zhTime(p.until)} 起才能再次领用`,
  ),

  // Pool rules and handover
  unknownTimeZone: entry({ value: 'Mars/Base' }, (p) => `Unknown time zone "${p.value}"`, (p) => `未知的时区“${p.value}”`),
  remindersNeedProtection: entry(
    {},
    () => 'Reminders need a protection period (noInteractionDays or noContractDays)',
    () => '提醒需要先设置保护期（noInteractionDays 或 noContractDays）',
  ),
  handoverTarget: entry(
    {},
    () => 'Hand the customers either to colleagues (to) or to the pool (toPool), not both or neither',
    () => '请把客户移交给同事（to）或退回客户池（toPool），二者必须且只能选一个',
  ),
  colleagueTwice: entry({}, () => 'A colleague is listed twice', () => '同一位同事被列出了两次'),
  leaverReceives: entry({}, () => 'The leaver cannot receive their own customers', () => '离职人员不能接收自己的客户'),
  handoverShare: entry({}, () => 'share must be an integer from 1 to 1000', () => 'share 必须是 1 到 1000 之间的整数'),
  handoverSelf: entry({}, () => 'You cannot hand over your own customers', () => '您不能移交自己的客户'),

  // Users
  managerNotFound: entry({}, () => 'Manager not found', () => '上级不存在'),
  managerDeactivated: entry({}, () => 'The manager is deactivated', () => '该上级的账号已停用'),
  managerRole: entry({}, () => 'Only a MANAGER or an ADMIN can be a manager', () => '只有经理（MANAGER）或管理员（ADMIN）才能做上级'),
  emailTaken: entry({}, () => 'This email is already in use', () => '该邮箱已被使用'),
  managerCycle: entry(
    {},
    () => 'That manager is below this user: the tree would have a cycle',
    () => '该上级是此用户的下级：组织结构会形成循环',
  ),
  managesOthers: entry(
    {},
    () => 'This user manages others: move their reports first',
    () => '此用户还有下级：请先调整其下级的上级',
  ),
  cannotDeactivateSelf: entry({}, () => 'You cannot deactivate yourself', () => '您不能停用自己的账号'),
  lastAdmin: entry(
    { change: 'DEMOTE' as 'DEMOTE' | 'DEACTIVATE' | 'LEAVE' },
    (p) =>
      ({
        DEMOTE: 'The last active admin must stay an admin',
        DEACTIVATE: 'The last active admin cannot be deactivated',
        LEAVE: 'The last active admin cannot leave',
      })[p.change],
    (p) =>
      ({
        DEMOTE: '最后一位在职管理员必须保留管理员角色',
        DEACTIVATE: '不能停用最后一位在职管理员',
        LEAVE: '最后一位在职管理员不能办理离职',
      })[p.change],
  ),

  // Contacts and interactions
  contactSelfRelation: entry({}, () => 'A contact cannot be related to itself', () => '联系人不能与自己建立社会关系'),
  personNameRequired: entry(
    {},
    () => 'personName is required unless relatedContactId is given',
    () => '未提供 relatedContactId 时，personName 为必填项',
  ),
  occurredAtInFuture: entry(
    {},
    () => 'occurredAt must not be in the future; plan it as nextFollowUpAt',
    () => 'occurredAt 不能晚于现在；计划中的跟进请填写 nextFollowUpAt',
  ),
  followUpBeforeOccurred: entry(
    {},
    () => 'nextFollowUpAt must be later than occurredAt',
    () => 'nextFollowUpAt 必须晚于 occurredAt',
  ),
  contactOfOtherCustomer: entry(
    {},
    () => "The contact must be one of this customer's contacts",
    () => '该联系人必须是此客户的联系人',
  ),

  // Quotes, contracts, receivables and receipts
  quoteNotDraft: entry(
    { number: 'BJ-2026-0001', status: 'SENT' },
    (p) => `Quote ${p.number} is ${p.status}: only a DRAFT quote can be changed`,
    (p) => `报价单 ${p.number} 处于${statusZh(p.status)}状态：只有草稿状态的报价单才能修改`,
  ),
  quoteHasNoLines: entry(
    { number: 'BJ-2026-0001' },
    (p) => `Quote ${p.number} has no lines: add at least one before sending it`,
    (p) => `报价单 ${p.number} 没有报价明细：发送前请至少添加一行`,
  ),
  quoteBecameContract: entry(
    { quote: 'BJ-2026-0001', contract: 'HT-2026-0001' },
    (p) => `Quote ${p.quote} became contract ${p.contract}: delete the contract first`,
    (p) => `报价单 ${p.quote} 已生成合同 ${p.contract}：请先删除该合同`,
  ),
  quoteAlreadyContract: entry(
    { quote: 'BJ-2026-0001', contract: 'HT-2026-0001' },
    (p) => `Quote ${p.quote} already became contract ${p.contract}`,
    (p) => `报价单 ${p.quote} 已生成合同 ${p.contract}`,
  ),
  quoteNotAccepted: entry(
    { number: 'BJ-2026-0001', status: 'SENT' },
    (p) => `Quote ${p.number} is ${p.status}: only an ACCEPTED quote can become a contract`,
    (p) => `报价单 ${p.number} 处于${statusZh(p.status)}状态：只有已接受的报价单才能生成合同`,
  ),
  lineAmountTooLarge: entry(
    { amount: '1000000000000.00', max: '999999999999.99' },
    (p) => `The line amount ${p.amount} is larger than the largest amount ${p.max}`,
    (p) => `该行金额 ${p.amount} 超过金额上限 ${p.max}`,
  ),
  quoteAmountTooLarge: entry(
    { amount: '1000000000000.00', max: '999999999999.99' },
    (p) => `The quote amount ${p.amount} is larger than the largest amount ${p.max}`,
    (p) => `报价单金额 ${p.amount} 超过金额上限 ${p.max}`,
  ),
  amountBelowReceived: entry(
    { amount: '500.00 CNY' },
    (p) => `amount must not be below the ${p.amount} already received`,
    (p) => `amount 不能低于已收金额 ${p.amount}`,
  ),
  amountBelowPlanned: entry(
    { amount: '500.00 CNY' },
    (p) => `amount must not be below the ${p.amount} planned as receivables`,
    (p) => `amount 不能低于已计划的应收金额 ${p.amount}`,
  ),
  amountBelowReceivedOnReceivable: entry(
    { amount: '500.00 CNY' },
    (p) => `amount must not be below the ${p.amount} already received against this receivable`,
    (p) => `amount 不能低于此应收已收到的金额 ${p.amount}`,
  ),
  currencyFixed: entry(
    {},
    () => 'The currency cannot change once the contract has receivables or receipts',
    () => '合同已有应收或已收记录，币种不能再修改',
  ),
  contractHasReceipts: entry(
    { number: 'HT-2026-0001', count: 2, amount: '500.00 CNY' },
    (p) => `Contract ${p.number} has ${p.count} receipt(s) of ${p.amount}: delete them first`,
    (p) => `合同 ${p.number} 已有 ${p.count} 笔收款，共 ${p.amount}：请先删除这些收款`,
  ),
  receivableHasReceipts: entry(
    { count: 2 },
    (p) => `The receivable has ${p.count} receipt(s) against it: delete them or move them to another receivable first`,
    (p) => `该应收已有 ${p.count} 笔收款：请先删除这些收款或把它们改到其他应收下`,
  ),
  receivableOfOtherContract: entry(
    { number: 'HT-2026-0001' },
    (p) => `receivableId must be a receivable of contract ${p.number}`,
    (p) => `receivableId 必须是合同 ${p.number} 的应收`,
  ),
  receiptExceedsReceivable: entry(
    { amount: '600.00 CNY', open: '500.00 CNY', due: '2026-04-01', total: '1000.00 CNY' },
    (p) => `The receipt of ${p.amount} exceeds the ${p.open} outstanding on the receivable due ${p.due} (${p.total})`,
    (p) => `收款 ${p.amount} 超过到期日为 ${p.due} 的应收（${p.total}）的未收金额 ${p.open}`,
  ),
  receiptExceedsContract: entry(
    { amount: '600.00 CNY', open: '500.00 CNY', number: 'HT-2026-0001', total: '1000.00 CNY' },
    (p) => `The receipt of ${p.amount} exceeds the ${p.open} outstanding on contract ${p.number} (${p.total})`,
    (p) => `收款 ${p.amount} 超过合同 ${p.number}（${p.total}）的未收金额 ${p.open}`,
  ),
  receivablesExceedContract: entry(
    { number: 'HT-2026-0001', total: '1200.00 CNY', amount: '1000.00 CNY' },
    (p) => `The receivables of contract ${p.number} would total ${p.total}, more than the contract amount ${p.amount}`,
    (p) => `合同 ${p.number} 的应收合计将达到 ${p.total}，超过合同金额 ${p.amount}`,
  ),

  // Numbers and money
  notDecimal: entry(
    { field: 'amount' },
    (p) => `${p.field} must be a decimal number such as "1234.50"`,
    (p) => `${p.field} 必须是十进制数字，例如“1234.50”`,
  ),
  notFinite: entry({ field: 'amount' }, (p) => `${p.field} must be a finite number`, (p) => `${p.field} 必须是有限的数值`),
  tooManyDecimals: entry(
    { field: 'amount', scale: 2 },
    (p) => `${p.field} may have at most ${p.scale} digits after the decimal point`,
    (p) => `${p.field} 最多保留 ${p.scale} 位小数`,
  ),
  numberTooSmall: entry(
    { field: 'amount', min: '0', inclusive: false },
    (p) => `${p.field} must be ${p.inclusive ? 'at least' : 'greater than'} ${p.min}`,
    (p) => `${p.field} 必须${p.inclusive ? '不小于' : '大于'} ${p.min}`,
  ),
  numberTooLarge: entry({ field: 'amount', max: '1' }, (p) => `${p.field} must be at most ${p.max}`, (p) => `${p.field} 不能大于 ${p.max}`),
  badCurrency: entry(
    { value: 'RMB' },
    (p) => `currency must be an ISO 4217 code such as CNY, USD or EUR (got "${p.value}")`,
    (p) => `currency 必须是 ISO 4217 币种代码，例如 CNY、USD 或 EUR（收到的是“${p.value}”）`,
  ),

  // Text
  unstorable: UNSTORABLE,
  /** `reason` is another message of the catalogue, e.g. `unstorable`. */
  fieldProblem: entry(
    { field: 'input.name', reason: UNSTORABLE({ problem: 'NUL', codePoint: '', depth: 0 }) as Message },
    (p) => `${p.field || 'The value'} ${p.reason.text('en')}`,
    (p) => `${p.field || '该值'} ${p.reason.text('zh-CN')}`,
  ),
  blank: entry(
    { field: 'name' },
    (p) => `${p.field} must not be blank: it needs at least one visible character`,
    (p) => `${p.field} 不能为空：至少要有一个可见字符`,
  ),

  // Input decorators (class-validator), by constraint, with the decorator's bounds; the English is
  // class-validator's own.
  tooLong: entry(
    { field: 'name', max: 200 },
    (p) => `${p.field} must be shorter than or equal to ${p.max} characters`,
    (p) => `${p.field} 最多 ${p.max} 个字符`,
  ),
  tooShort: entry(
    { field: 'password', min: 8 },
    (p) => `${p.field} must be longer than or equal to ${p.min} characters`,
    (p) => `${p.field} 至少需要 ${p.min} 个字符`,
  ),
  belowMin: entry({ field: 'share', min: 1 }, (p) => `${p.field} must not be less than ${p.min}`, (p) => `${p.field} 不能小于 ${p.min}`),
  aboveMax: entry({ field: 'share', max: 1000 }, (p) => `${p.field} must not be greater than ${p.max}`, (p) => `${p.field} 不能大于 ${p.max}`),
  tooManyItems: entry(
    { field: 'tags', max: 20 },
    (p) => `${p.field} must contain no more than ${p.max} elements`,
    (p) => `${p.field} 最多包含 ${p.max} 项`,
  ),
  tooFewItems: entry(
    { field: 'scopes', min: 1 },
    (p) => `${p.field} must contain at least ${p.min} elements`,
    (p) => `${p.field} 至少包含 ${p.min} 项`,
  ),
  notEmail: entry({ field: 'email' }, (p) => `${p.field} must be a valid email address`, (p) => `${p.field} 必须是有效的邮箱地址`),
  notUrl: entry({ field: 'website' }, (p) => `${p.field} must be a URL`, (p) => `${p.field} 必须是网址`),
  invalidValue: entry({ field: 'name' }, (p) => `${p.field} is invalid`, (p) => `${p.field} 的值无效`),

  // Attachments, print and export (plain routes)
  eitherCustomerOrRecord: entry(
    {},
    () => 'Pass either customerId, or recordType and recordId, not both',
    () => 'customerId 与 recordType、recordId 只能二选一',
  ),
  customerOrRecordNeeded: entry({}, () => 'Pass customerId, or recordType and recordId', () => '请提供 customerId，或 recordType 与 recordId'),
  notAttachable: entry(
    { type: 'Invoice' },
    (p) => `Files can't be attached to "${p.type}"`,
    (p) => `不能给“${p.type}”上传附件`,
  ),
  fileEmpty: entry({}, () => 'The file is empty', () => '文件为空'),
  fileTooLarge: entry(
    { limit: 10485760 },
    (p) => `The file is larger than the limit of ${p.limit} bytes`,
    (p) => `文件超过大小上限 ${p.limit} 字节`,
  ),
  formFieldTooLong: entry({ field: 'recordId' }, (p) => `${p.field} is too long`, (p) => `${p.field} 过长`),
  unknownFormField: entry({ field: 'color' }, (p) => `Unknown field ${p.field}`, (p) => `未知字段 ${p.field}`),
  givenTwice: entry({ field: 'file' }, (p) => `${p.field} given twice`, (p) => `${p.field} 重复提供`),
  givenMoreThanOnce: entry({ field: 'view' }, (p) => `${p.field} given more than once`, (p) => `${p.field} 提供了多次`),
  uploadShape: entry(
    {},
    () => 'Send the fields customerId, or recordType and recordId, and exactly one file',
    () => '请提交 customerId（或 recordType 与 recordId）字段，并且只附一个文件',
  ),
  uploadNotMultipart: entry(
    {},
    () => 'Send multipart/form-data with customerId (or recordType and recordId) and one file',
    () => '请以 multipart/form-data 格式提交 customerId（或 recordType 与 recordId）和一个文件',
  ),
  headerOrLink: entry(
    {},
    () => 'Send either an Authorization header or a link, not both',
    () => 'Authorization 请求头和链接只能二选一',
  ),
  attachOneFile: entry({}, () => 'Attach one file', () => '请附上一个文件'),
  malformedMultipart: entry(
    {},
    () => 'The body is not a well-formed multipart/form-data form (no boundary, or cut off before its end)',
    () => '请求体不是格式正确的 multipart/form-data 表单（缺少分隔符，或在结束前被截断）',
  ),
  printParamNotForCustomer: entry(
    { field: 'view' },
    (p) => `${p.field} goes with LIST and CSV links, not with CUSTOMER`,
    (p) => `${p.field} 只用于 LIST 和 CSV 链接，不用于 CUSTOMER 链接`,
  ),
  customerLinkNeedsId: entry({}, () => 'A CUSTOMER link needs customerId', () => 'CUSTOMER 链接需要 customerId'),
  customerIdOnlyForCustomer: entry({}, () => 'customerId goes with CUSTOMER links', () => 'customerId 只用于 CUSTOMER 链接'),
  linkNeedsView: entry({ kind: 'LIST' }, (p) => `A ${p.kind} link needs view`, (p) => `${p.kind} 链接需要 view`),
  paramNotJson: entry(
    { field: 'filter', expected: 'CUSTOMER_FILTER' as 'CUSTOMER_FILTER' | 'CUSTOMER_ORDERS' },
    (p) => `${p.field} must be JSON: ${p.expected === 'CUSTOMER_FILTER' ? 'a CustomerFilter object' : 'a list of CustomerOrder objects'}`,
    (p) => `${p.field} 必须是 JSON：${p.expected === 'CUSTOMER_FILTER' ? '一个 CustomerFilter 对象' : '由 CustomerOrder 对象组成的列表'}`,
  ),
  paramInvalid: entry(
    { field: 'filter.name', detail: 'Expected type "String".' },
    (p) => `${p.field}: ${p.detail}`,
    // The detail is GraphQL's own coercion message, which speaks English only.
    (p) => `${p.field} 的值无效：${p.detail}`,
  ),
  viewRequired: entry(
    {},
    () => 'view is required (POOL, MINE, SHARED_WITH_ME, SUBORDINATES, ALL or ARCHIVED)',
    () => 'view 为必填项（POOL、MINE、SHARED_WITH_ME、SUBORDINATES、ALL 或 ARCHIVED）',
  ),
  invalidListParams: entry({}, () => 'Invalid list parameters', () => '列表参数无效'),
  listParamsRefused: entry(
    { detail: 'Unknown argument "x".' },
    (p) => p.detail,
    // GraphQL's own words, in English only.
    (p) => `列表参数无效：${p.detail}`,
  ),
  invalidInput: entry({}, () => 'Invalid input', () => '输入无效'),
  requestRefused: entry(
    { detail: 'Unsupported Media Type' },
    (p) => p.detail,
    // Fastify's own refusals (media type, body size, ...) speak English only.
    (p) => `请求被拒绝：${p.detail}`,
  ),
} as const;

export type Catalogue = typeof M;

// The catalogue's keys become the messages' keys (for logs and tests).
for (const [key, value] of Object.entries(M)) Object.assign(value, { key });

/** Things counted by rate limits (consumeRateLimit's `what`). */
const WHAT_ZH: Record<string, string> = {
  'duplicate checks': '同名检查',
  'print links': '生成打印链接',
  exports: '导出',
};


/** Admin-only operations refused to other roles (FORBIDDEN, top level). */
const ADMIN_ACTIONS = {
  CREATE_USERS: { en: 'Only admins can create users', zh: '只有管理员可以新建用户' },
  CHANGE_USERS: { en: 'Only admins can change users', zh: '只有管理员可以修改用户' },
  ACTIVATE_USERS: { en: 'Only admins can (de)activate users', zh: '只有管理员可以启用或停用用户' },
  USER_HISTORY: {
    en: 'Only the user, their managers and admins can read a user’s history',
    zh: '只有本人、其上级和管理员可以查看用户的历史记录',
  },
  LIST_ALL: { en: 'Only admins can list all customers', zh: '只有管理员可以查看全部客户' },
  LIST_ARCHIVED: { en: 'Only admins can list archived customers', zh: '只有管理员可以查看已删除客户' },
  SEE_SETTINGS: { en: 'Only admins can see the pool settings', zh: '只有管理员可以查看客户池规则' },
  CHANGE_SETTINGS: { en: 'Only admins can change the pool settings', zh: '只有管理员可以修改客户池规则' },
  PREVIEW_SETTINGS: { en: 'Only admins can preview the pool settings', zh: '只有管理员可以预览客户池规则' },
  RUN_SWEEP: { en: 'Only admins can run the pool sweep', zh: '只有管理员可以执行客户池自动退回' },
  HANDOVER: { en: 'Only admins can hand over a leaver’s customers', zh: '只有管理员可以办理离职人员的客户移交' },
  ACCESS_LOG: { en: 'Only admins can read the document access log', zh: '只有管理员可以查看文档访问记录' },
} as const;

export type AdminAction = keyof typeof ADMIN_ACTIONS;
