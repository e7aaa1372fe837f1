# simsieve scam-SMS signature set: version and category declarations.
# Loaded first (files are read in name order), so every other file can use
# these categories.  CLASS: scam (fraud, may lead to blocking the sender),
# spam (marketing / illegal promotion: monitor at most), benign (recognised
# legitimate templates whose score is subtracted from scam scores).
# Written from domain knowledge of the Ministry of Public Security's list of
# common telecom-fraud types and operators' anti-fraud guidance, not from any
# evaluation corpus (docs/sms-measurements.md).
version 2026.11.23-3

# fraud categories
category brushing scam 刷单返利 / 网络兼职
category investment scam 虚假投资理财 / 荐股
category loan_credit scam 虚假贷款 / 代办信用卡
category refund_service scam 冒充电商物流客服 (退款 / 快递理赔)
category police_court scam 冒充公检法及政府机关
category prize scam 虚假中奖 / 节目幸运观众
category gov_subsidy scam 冒充政府: 退税 / 补贴 / ETC / 医保社保公积金
category credit_repair scam 征信修复 / 消除不良记录
category impersonation scam 冒充亲友 / 领导 / 熟人
category cancellation scam 注销账户 / 取消会员扣费 / 校园贷注销
category bank_phishing scam 冒充银行: 积分兑换 / 密码器 / 网银升级 / 账户冻结
category account_phishing scam 冒充运营商与平台: 积分 / 话费 / 实名 / 账号异常
category malware_link scam 木马链接: 相册 / 请柬 / 成绩单 / 违章照片
category travel_refund scam 机票火车退改签 / 航班取消理赔
category game_trade scam 网络游戏虚假交易 / 免费皮肤 / 未成年退款
category romance_gambling scam 网络交友诱导投资赌博 (杀猪盘) / 博彩漏洞
category extortion scam 敲诈勒索 / 裸聊 / 买凶恐吓
category fake_purchase scam 冒充军警采购 / 虚假购物 / 低价代购
category en_phishing scam English smishing: bank / account / parcel / tax / toll / crypto
category en_prize scam English prize and premium-rate lures

# unsolicited promotion, not fraud: never the cause of a block
category spam_retail spam 营销广告 (零售 / 房产 / 网络服务)
category spam_gambling spam 赌博推广
category spam_fake_docs spam 办证 / 假发票
category spam_escort spam 色情服务
category spam_loan spam 贷款 / 信用卡广告
category en_spam spam English marketing spam

# legitimate notice templates: their score is subtracted from scam scores
category benign_otp benign 验证码通知
category benign_bank benign 银行交易通知
category benign_courier benign 快递取件通知
category benign_antifraud benign 官方反诈提醒
category benign_operator benign 运营商账单 / 流量通知
category en_benign benign English one-time-code and account notices
