# Spam-class categories: unsolicited promotion that is not fraud, or illegal
# promotion (gambling, fake documents, escort services).  These never cause a
# block (monitor at most); they name what a message is so that operators can
# see the marketing mass apart from fraud.

# Retail, real-estate and network-service adverts: unsubscribe footers,
# discount vocabulary, property sales, broadband and plan offers.
sig spam_retail.unsub spam_retail 60 ("退订回t"|"回t退订"|"退订回td"|"回td退订"|"回复td退订"|"拒收请回复r"|"回n退订"|"退订回n"|"退订请回复"|"回复t退订"|"回0退订"|"退订回复")
sig spam_retail.discount spam_retail 40 ("优惠"|"特价"|"促销"|"打折"|"折扣"|"酬宾"|"满减"|"秒杀"|"钜惠"|"让利"|"清仓"|"特惠") ..30 ("活动"|"到店"|"进店"|"全场"|"抢购"|"限时"|"欢迎")
sig spam_retail.opening spam_retail 40 ("开业"|"盛大开业"|"新店开业"|"周年庆"|"店庆"|"会员日") ..40 ("优惠"|"折"|"送"|"欢迎"|"活动"|"光临")
sig spam_retail.off spam_retail 35 "全场" ..10 ("折"|"五折"|"半价"|"包邮"|"特价")
sig spam_retail.welcome spam_retail 30 ("欢迎"|"敬请") ..10 ("光临"|"惠顾"|"莅临"|"选购"|"来电咨询"|"咨询")
sig spam_retail.realestate spam_retail 45 ("楼盘"|"开盘"|"房源"|"首付"|"均价"|"售楼"|"样板房"|"户型"|"现房"|"准现房"|"学区房"|"商铺"|"平米"|"平方") ..40 ("优惠"|"咨询"|"热线"|<phone>|"认筹"|"看房"|"特价"|"抢购"|"火爆")
sig spam_retail.broadband spam_retail 40 ("宽带"|"光纤"|"流量"|"套餐"|"4g"|"5g") ..30 ("办理"|"免费"|"送"|"优惠"|"安装"|"升级"|"特惠")
sig spam_retail.decor spam_retail 40 ("装修"|"家装"|"建材"|"家具"|"瓷砖"|"橱柜"|"地板") ..30 ("优惠"|"特价"|"折"|"团购"|"活动"|"免费")
sig spam_retail.education spam_retail 40 ("培训"|"辅导"|"补习"|"课程"|"招生"|"报名") ..30 ("优惠"|"免费试听"|"试听"|"名额"|"报名"|"咨询")
sig spam_retail.car_sales spam_retail 40 ("4s店"|"车展"|"试驾"|"购车"|"新车") ..30 ("优惠"|"特价"|"礼"|"活动"|"钜惠")
sig spam_retail.promo_contact spam_retail 30 ("详情"|"详询"|"咨询"|"订购"|"预约") ..10 (<phone>|"热线"|"电话")
sig spam_retail.health spam_retail 35 ("美容"|"减肥"|"瘦身"|"祛斑"|"养生"|"保健"|"体检") ..30 ("优惠"|"免费"|"体验"|"特价"|"活动")
sig spam_retail.restaurant spam_retail 35 ("餐厅"|"酒楼"|"火锅"|"饭店"|"外卖"|"酒店") ..30 ("优惠"|"折"|"特价"|"预订"|"欢迎")
sig spam_retail.recruit spam_retail 30 ("招聘"|"诚聘"|"高薪"|"急聘") ..30 ("包吃住"|"底薪"|"月薪"|"五险"|"待遇")
sig spam_retail.festival spam_retail 30 ("新年"|"春节"|"中秋"|"国庆"|"元旦"|"端午"|"双十一"|"双11"|"圣诞") ..20 ("优惠"|"特惠"|"大促"|"狂欢"|"钜惠"|"礼")

# Gambling promotion (illegal in mainland China): online casinos, baccarat,
# sports betting, "deposit bonus", Macau casino brand names.
sig spam_gambling.word spam_gambling 60 ("娱乐城"|"博彩"|"百家乐"|"真人荷官"|"时时彩"|"老虎机"|"体育投注"|"赌场"|"线上娱乐"|"电子游艺"|"赌球"|"六合彩"|"真人视讯"|"真人娱乐"|"龙虎斗"|"牛牛"|"斗地主赢"|"棋牌游戏")
sig spam_gambling.bonus spam_gambling 60 ("首存"|"首充"|"存款"|"充值"|"注册"|"开户") ..10 ("送"|"赠送"|"即送"|"彩金"|"返水"|"优惠"|"百分百")
sig spam_gambling.rebate spam_gambling 55 ("返水"|"洗码"|"彩金"|"反水"|"日返")
sig spam_gambling.brand spam_gambling 50 ("澳门"|"葡京"|"威尼斯人"|"金沙"|"永利"|"太阳城"|"银河娱乐"|"新葡京"|"皇冠"|"亚博"|"开元"|"金沙城") ..30 ("娱乐"|"平台"|"赌场"|"官网"|"注册"|<url>|"开户"|"线上")
sig spam_gambling.betting spam_gambling 50 ("下注"|"投注"|"押注"|"赔率"|"盘口"|"竞猜") ..30 (<url>|"注册"|"平台"|"赢"|"彩金")
sig spam_gambling.fish spam_gambling 45 ("捕鱼"|"电玩"|"街机"|"水果机"|"斗牛") ..30 ("上分"|"下分"|"提现"|"兑换"|"赢钱")
sig spam_gambling.withdraw spam_gambling 45 ("秒提现"|"提款秒到"|"提现秒到"|"出款快"|"秒出款"|"无限提款")

# Fake documents and invoices: "代开发票", certificates, seals, licences.
sig spam_fake_docs.invoice spam_fake_docs 60 ("代开"|"开具"|"有"|"提供"|"可开") ..10 ("发票"|"增值税"|"税票"|"普票"|"专票")
sig spam_fake_docs.certificate spam_fake_docs 60 ("办证"|"办理各类证件"|"各类证件"|"假证"|"证件办理"|"刻章"|"刻公章"|"办毕业证"|"学历认证"|"代办学历"|"驾照包过"|"证书")
sig spam_fake_docs.docs_contact spam_fake_docs 55 ("毕业证"|"学位证"|"身份证"|"驾驶证"|"房产证"|"结婚证"|"资格证"|"职称"|"学历"|"文凭") ..20 ("办理"|"代办"|"包过"|"制作"|"可查"|"网上可查")
sig spam_fake_docs.invoice_tax spam_fake_docs 50 "发票" ..20 ("点数"|"低点"|"税点"|"可验证"|"验证后付款"|"真票")

# Escort and sex-service adverts.
sig spam_escort.service spam_escort 60 ("上门服务"|"特殊服务"|"全套服务"|"包夜"|"莞式"|"一条龙服务"|"小妹上门"|"美女上门"|"学生妹"|"兼职妹"|"外围女"|"援交"|"约炮"|"同城约")
sig spam_escort.massage spam_escort 45 ("按摩"|"足浴"|"桑拿"|"会所"|"spa"|"推油") ..30 ("美女"|"小妹"|"上门"|"技师"|"服务"|"少妇"|"学生")
sig spam_escort.girls spam_escort 45 ("美女"|"少妇"|"熟女"|"模特"|"空姐"|"嫩模") ..20 ("陪"|"服务"|"上门"|"约"|"包夜"|"过夜")

# Loan and credit-card adverts without fee / unfreezing demands (those are
# loan_credit fraud): "无抵押, 低息, 当天放款" etc.
sig spam_loan.offer spam_loan 55 ("贷款"|"借款"|"放款"|"信用贷"|"车贷"|"房贷"|"抵押贷"|"私贷"|"网贷"|"资金周转") ..30 ("无抵押"|"免抵押"|"低息"|"当天放款"|"当天到账"|"秒批"|"快速放款"|"利息低"|"无需担保"|"额度高"|"手续简单"|"放款快"|"凭身份证")
sig spam_loan.noun spam_loan 40 ("贷款"|"借款"|"信用贷"|"车贷"|"房贷"|"抵押贷"|"垫资"|"过桥") ..30 (<phone>|"咨询"|"热线"|"联系"|"办理"|<wechat>)
sig spam_loan.cc spam_loan 45 ("信用卡"|"大额卡"|"pos机") ..20 ("办理"|"代办"|"提额"|"套现"|"养卡"|"代还"|"垫还")
sig spam_loan.mortgage spam_loan 45 ("房产"|"汽车"|"车辆"|"保单"|"公积金"|"社保") ..10 ("抵押"|"贷款"|"信用贷")
