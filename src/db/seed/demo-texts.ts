import { InteractionType } from '../../interactions/interaction.entity.js';

// The words of the demo company: people's names, job titles, what salespeople write down, and
// what the company sells. Data only; demo-*.ts put them together.

/** Surnames with their pinyin (for e-mail addresses and WeChat ids). */
export const SURNAMES: readonly (readonly [string, string])[] = [
  ['王', 'wang'], ['李', 'li'], ['张', 'zhang'], ['刘', 'liu'], ['陈', 'chen'], ['杨', 'yang'],
  ['赵', 'zhao'], ['黄', 'huang'], ['周', 'zhou'], ['吴', 'wu'], ['徐', 'xu'], ['孙', 'sun'],
  ['胡', 'hu'], ['朱', 'zhu'], ['高', 'gao'], ['林', 'lin'], ['何', 'he'], ['郭', 'guo'],
  ['马', 'ma'], ['罗', 'luo'], ['梁', 'liang'], ['宋', 'song'], ['郑', 'zheng'], ['谢', 'xie'],
  ['韩', 'han'], ['唐', 'tang'], ['冯', 'feng'], ['于', 'yu'], ['董', 'dong'], ['程', 'cheng'],
  ['曹', 'cao'], ['袁', 'yuan'], ['邓', 'deng'], ['许', 'xu'], ['傅', 'fu'], ['沈', 'shen'],
  ['曾', 'zeng'], ['彭', 'peng'], ['吕', 'lv'], ['苏', 'su'], ['蒋', 'jiang'], ['蔡', 'cai'],
  ['丁', 'ding'], ['魏', 'wei'], ['叶', 'ye'], ['潘', 'pan'], ['杜', 'du'], ['戴', 'dai'],
  ['夏', 'xia'], ['钟', 'zhong'], ['汪', 'wang'], ['田', 'tian'], ['任', 'ren'], ['姜', 'jiang'],
  ['范', 'fan'], ['方', 'fang'], ['石', 'shi'], ['姚', 'yao'], ['谭', 'tan'], ['廖', 'liao'],
];

export const MALE_NAMES: readonly (readonly [string, string])[] = [
  ['建华', 'jianhua'], ['志强', 'zhiqiang'], ['永刚', 'yonggang'], ['海涛', 'haitao'], ['国平', 'guoping'],
  ['晓东', 'xiaodong'], ['文博', 'wenbo'], ['俊杰', 'junjie'], ['立新', 'lixin'], ['振宇', 'zhenyu'],
  ['浩然', 'haoran'], ['明', 'ming'], ['军', 'jun'], ['斌', 'bin'], ['鹏', 'peng'], ['勇', 'yong'],
  ['凯', 'kai'], ['涛', 'tao'], ['宇航', 'yuhang'], ['子轩', 'zixuan'], ['德明', 'deming'], ['世杰', 'shijie'],
];

export const FEMALE_NAMES: readonly (readonly [string, string])[] = [
  ['丽娟', 'lijuan'], ['秀英', 'xiuying'], ['晓燕', 'xiaoyan'], ['婷婷', 'tingting'], ['雪梅', 'xuemei'],
  ['佳怡', 'jiayi'], ['慧敏', 'huimin'], ['静怡', 'jingyi'], ['红霞', 'hongxia'], ['淑华', 'shuhua'],
  ['欣然', 'xinran'], ['芳', 'fang'], ['敏', 'min'], ['颖', 'ying'], ['琳', 'lin'], ['洁', 'jie'],
  ['梦瑶', 'mengyao'], ['雨婷', 'yuting'], ['玉兰', 'yulan'], ['春燕', 'chunyan'],
];

/** Job titles with their department; the first ones are the usual decision makers. */
export const TITLES: readonly (readonly [string, string])[] = [
  ['总经理', '总经办'], ['采购经理', '采购部'], ['财务总监', '财务部'], ['IT经理', '信息中心'],
  ['副总经理', '总经办'], ['技术总监', '技术部'], ['采购专员', '采购部'], ['项目经理', '项目管理部'],
  ['运营总监', '运营部'], ['行政主管', '行政部'], ['会计', '财务部'], ['董事长', '董事会'],
  ['系统管理员', '信息中心'], ['法务专员', '法务部'],
];

export const CONTACT_NOTES = [
  '决策人，关注整体投入产出比',
  '技术把关，方案需提前发过去审阅',
  '为人爽快，喜欢当面沟通',
  '负责供应商评估，重视售后响应速度',
  '审批付款，月底比较忙，避开月末联系',
  '新上任，正在梳理供应商名单',
  '老朋友，多次合作',
  null,
  null,
  null,
] as const;

/** Telephone area codes of the demo cities. */
export const AREA_CODES: Readonly<Record<string, string>> = {
  北京: '010', 上海: '021', 深圳: '0755', 广州: '020', 杭州: '0571', 南京: '025',
  苏州: '0512', 成都: '028', 武汉: '027', 西安: '029', 天津: '022', 重庆: '023',
};

export const MOBILE_PREFIXES = ['130', '135', '136', '138', '139', '150', '158', '177', '186', '188', '189'];

/** Where a spouse or a classmate works, and as what. */
export const OUTSIDE_JOBS: readonly (readonly [string, string])[] = [
  ['市第一人民医院', '主治医师'], ['实验中学', '高级教师'], ['中国银行', '客户经理'],
  ['市税务局', '科员'], ['华东理工大学', '副教授'], ['平安保险', '理财顾问'],
  ['市规划设计院', '工程师'], ['律师事务所', '合伙人'],
];

export const SCHOOLS = ['浙江大学', '复旦大学', '武汉大学', '西安交通大学', '四川大学', '南京大学', '中山大学'];

/** What an interaction of each type is about. */
export const SUBJECTS: Readonly<Record<InteractionType, readonly string[]>> = {
  [InteractionType.VISIT]: [
    '上门拜访，了解信息化现状',
    '拜访采购部，沟通年度采购计划',
    '现场调研机房环境',
    '陪同技术顾问现场演示产品',
    '拜访总经理，介绍公司整体方案',
  ],
  [InteractionType.CALL]: [
    '电话沟通报价细节',
    '电话回访系统使用情况',
    '电话确认下周拜访时间',
    '跟进合同审批进度',
    '电话提醒回款事宜',
  ],
  [InteractionType.EMAIL]: [
    '发送产品方案及报价单',
    '邮件确认实施计划',
    '发送合同草稿供法务审阅',
    '发送发票及回款提醒',
    '邮件答复技术问题',
  ],
  [InteractionType.MEETING]: ['项目启动会', '方案评审会', '商务谈判会议', '季度服务回顾会', '需求澄清会'],
  [InteractionType.MESSAGE]: ['微信沟通到货时间', '微信发送产品资料', '微信确认开票信息'],
  [InteractionType.OTHER]: ['参加客户年会', '行业展会上交流', '邀请参加新品发布会'],
};

/** Content: what was learned, then what happens next. */
export const FINDINGS = [
  '客户对现有系统的响应速度不满意，希望年内完成升级。',
  '客户预算已批复，倾向于分两期实施。',
  '客户关注数据安全，要求提供等保相关资质证明。',
  '竞争对手也在接触，客户认为我方价格偏高约百分之十。',
  '客户对演示效果满意，技术部门基本认可方案。',
  '采购流程需要三家比价，预计下月中旬定标。',
  '客户提出增加移动端审批功能的需求。',
  '对方财务反馈上一期款项已走完审批流程。',
  '客户计划扩建分公司，后续有追加采购的可能。',
];

export const NEXT_STEPS = [
  '下一步：整理需求清单，三日内提交正式方案。',
  '下一步：调整报价，争取本月内签约。',
  '下一步：安排技术工程师上门做详细调研。',
  '下一步：准备资质文件，邮件发送给采购部。',
  '下一步：约总经理面谈，推动决策。',
  '下一步：跟进付款进度，确认到账时间。',
];

export interface Product {
  product: string;
  specification: string;
  unit: string;
  /** Unit price in yuan, as a decimal string. */
  unitPrice: string;
  /** Usual quantities. */
  quantity: readonly [number, number];
}

export const PRODUCTS = {
  server: { product: '服务器', specification: '2U机架式 双路至强 64G内存 4×1.2T SAS', unit: '台', unitPrice: '38500.00', quantity: [2, 8] },
  storage: { product: '存储阵列', specification: '双控 24盘位 48TB可用容量', unit: '套', unitPrice: '126000.00', quantity: [1, 2] },
  switch: { product: '核心交换机', specification: '48口万兆 三层', unit: '台', unitPrice: '21800.00', quantity: [1, 4] },
  firewall: { product: '防火墙', specification: '下一代防火墙 千兆 含三年特征库', unit: '台', unitPrice: '15600.00', quantity: [1, 2] },
  crmLicense: { product: '软件许可', specification: 'CRM标准版 用户许可', unit: '用户', unitPrice: '1200.00', quantity: [20, 200] },
  erpLicense: { product: '软件许可', specification: 'ERP财务及供应链模块 并发许可', unit: '套', unitPrice: '86000.00', quantity: [1, 3] },
  dbLicense: { product: '数据库许可', specification: '企业版 按处理器核', unit: '核', unitPrice: '9800.00', quantity: [4, 16] },
  implementation: { product: '实施服务', specification: '需求调研、部署、数据迁移', unit: '人天', unitPrice: '2200.00', quantity: [10, 60] },
  development: { product: '定制开发', specification: '接口开发与报表定制', unit: '人天', unitPrice: '2600.00', quantity: [5, 40] },
  training: { product: '培训服务', specification: '管理员及最终用户培训', unit: '场', unitPrice: '5000.00', quantity: [1, 4] },
  maintenance: { product: '年度维保', specification: '7×24小时响应 含备件更换', unit: '年', unitPrice: '18000.00', quantity: [1, 3] },
  cloud: { product: '云服务器租用', specification: '8核32G 100G SSD', unit: '台·年', unitPrice: '9600.00', quantity: [2, 10] },
} as const satisfies Record<string, Product>;

export type ProductKey = keyof typeof PRODUCTS;

/** What a quote is for: its title and the lines it usually has. */
export const QUOTE_THEMES: readonly { title: string; products: readonly ProductKey[] }[] = [
  { title: '服务器扩容项目', products: ['server', 'storage', 'implementation', 'maintenance'] },
  { title: 'CRM系统建设项目', products: ['crmLicense', 'implementation', 'development', 'training'] },
  { title: 'ERP升级项目', products: ['erpLicense', 'dbLicense', 'implementation', 'training'] },
  { title: '网络安全升级项目', products: ['firewall', 'switch', 'implementation'] },
  { title: '年度运维服务', products: ['maintenance', 'cloud'] },
  { title: '数据中心建设一期', products: ['server', 'switch', 'storage', 'dbLicense', 'implementation'] },
];

export const DISCOUNTS = ['0', '0', '0.05', '0.08', '0.1', '0.12', '0.15'];

export const QUOTE_NOTES = [
  '含税价（增值税13%），含运输及安装。',
  '报价含首年原厂质保，付款方式：合同签订后预付30%。',
  '本报价有效期30天，批量采购可另议。',
  null,
] as const;

/** Contracts signed without a quote. */
export const DIRECT_CONTRACTS: readonly { title: string; amounts: readonly string[] }[] = [
  { title: '年度维保服务合同', amounts: ['36000.00', '54000.00', '72000.00'] },
  { title: '系统运维外包合同', amounts: ['96000.00', '120000.00', '180000.00'] },
  { title: '软件升级服务合同', amounts: ['28000.00', '45000.00'] },
  { title: '数据迁移服务合同', amounts: ['38000.00', '66000.00'] },
];

/** How a contract is paid: shares of the amount in percent, days after signing each is due, what each is. */
export const PAYMENT_PLANS: readonly { shares: readonly number[]; dueAfter: readonly number[]; labels: readonly string[] }[] = [
  { shares: [100], dueAfter: [30], labels: ['全款'] },
  { shares: [50, 50], dueAfter: [15, 90], labels: ['预付款', '验收款'] },
  { shares: [30, 60, 10], dueAfter: [10, 60, 180], labels: ['预付款', '验收款', '质保金'] },
  { shares: [40, 40, 20], dueAfter: [7, 45, 120], labels: ['预付款', '到货款', '验收款'] },
];

export const BANKS = ['招商银行', '工商银行', '建设银行', '中国银行', '浦发银行'];
