# 虚假投资理财: stock-tip groups ("荐股群"), "teachers" who lead trades
# ("带单"), insider tips, guaranteed high returns, fake platforms for
# forex, gold, futures, digital currency, original shares.
sig investment.stock_tip investment 55 ("荐股"|"推荐股票"|"免费推荐"|"牛股推荐"|"推荐牛股"|"金股"|"牛股")
sig investment.stock_group investment 60 ("股票"|"炒股"|"股民"|"牛股"|"涨停"|"选股") ..30 ("群"|"交流群"|"微信群"|"qq群"|"直播间"|"老师")
sig investment.limit_up investment 55 ("涨停"|"翻倍"|"暴涨"|"连板"|"黑马") ..30 ("加微信"|"加qq"|<wechat>|<qq>|<phone>|<url>|"进群"|"入群"|"领取"|"免费")
sig investment.insider investment 60 ("内幕"|"内部消息"|"内部资料"|"主力"|"庄家") ..20 ("消息"|"股"|"资金"|"布局"|"建仓"|"拉升")
sig investment.teacher investment 55 ("老师"|"导师"|"分析师"|"专家"|"助理") ..20 ("带单"|"带你"|"荐股"|"指导"|"喊单"|"操盘")
sig investment.lead_trade investment 60 ("带单"|"喊单"|"跟单"|"跟投") ..30 ("盈利"|"收益"|"赚"|"稳赚"|"翻倍"|"导师"|"老师")
sig investment.guaranteed investment 65 ("稳赚不赔"|"只赚不赔"|"保本保息"|"保本高收益"|"零风险高收益"|"无风险高收益"|"稳赚"|"包赚钱"|"包赚不赔"|"包你赚"|"保证收益"|"保底收益")
sig investment.high_return investment 55 ("高收益"|"高回报"|"高额回报"|"收益翻倍"|"日收益"|"月收益"|"年化") ..30 ("无风险"|"零风险"|"稳赚"|"保本"|"保证"|"%")
sig investment.crypto investment 45 ("数字货币"|"虚拟币"|"虚拟货币"|"usdt"|"比特币"|"以太坊"|"区块链"|"币圈"|"挖矿"|"合约交易") ..30 ("投资"|"理财"|"收益"|"翻倍"|"暴涨"|"赚"|"带单"|"平台")
sig investment.forex_gold investment 45 ("外汇"|"黄金"|"现货"|"期货"|"原油"|"白银"|"期权") ..30 ("带单"|"稳赚"|"高收益"|"导师"|"老师"|"内幕"|"翻倍"|"平台")
sig investment.original_shares investment 60 ("原始股"|"股权认购"|"上市前"|"认购股权"|"内部认购"|"新股申购内部")
sig investment.pension investment 60 ("养老项目"|"养老投资"|"养老公寓"|"以房养老") ..30 ("收益"|"回报"|"返利"|"分红")
sig investment.dividend investment 40 ("分红"|"返利"|"利息") ..20 ("每天"|"每日"|"每周"|"按天"|"日返")
sig investment.free_diagnosis investment 50 ("免费诊股"|"免费诊断"|"诊股"|"免费领取牛股"|"免费领股")
sig investment.platform_withdraw investment 60 ("平台"|"账户"|"资金") ..20 ("无法提现"|"不能提现"|"提现失败"|"出金失败") ..30 ("缴纳"|"交"|"充值"|"保证金"|"手续费"|"税")
sig investment.margin_fee investment 55 ("投资"|"理财"|"收益") ..30 ("保证金"|"解冻金"|"风险金"|"个人所得税"|"手续费") ..20 ("提现"|"到账"|"解冻")
sig investment.fund_recovery investment 65 ("追回"|"挽回"|"找回") ..20 ("投资损失"|"被骗资金"|"亏损"|"损失"|"被骗的钱")
sig investment.ipo_lottery investment 55 ("打新"|"新股"|"配售") ..20 ("内部名额"|"百分百中签"|"包中"|"必中")
sig investment.dark_horse investment 45 ("下周"|"明天"|"明日"|"近期") ..20 ("必涨"|"大涨"|"涨停"|"翻倍") ..30 ("股"|"个股"|"代码")
sig investment.stock_code investment 50 ("股票代码"|"代码") ..10 <number> ..30 ("涨停"|"翻倍"|"必涨"|"大涨"|"建仓")
sig investment.quant investment 45 ("量化"|"智能"|"ai") ..10 ("交易"|"炒股"|"理财") ..30 ("稳赚"|"保本"|"日收益"|"翻倍"|"零风险")
sig investment.finance_course investment 40 ("理财课"|"投资课"|"股票课"|"炒股课"|"财商课") ..30 ("免费"|"进群"|"领取"|"加微信"|<wechat>)

# Named lure products / regulators invoked to lend credibility ("证监会备案",
# "银保监批准"): a fund or platform boasting official approval together with
# guaranteed returns.
sig investment.csrc_backed investment 55 "证监会" ..20 ("备案"|"批准"|"监管"|"认证"|"背书") ..40 ("收益"|"稳赚"|"保本"|"投资"|"高回报"|"理财")
sig investment.cbirc_backed investment 55 "银保监" ..20 ("备案"|"批准"|"监管"|"认证"|"背书") ..40 ("收益"|"稳赚"|"保本"|"投资"|"高回报"|"理财")
sig investment.pboc_backed investment 55 "央行" ..20 ("备案"|"批准"|"监管"|"认证"|"背书") ..40 ("收益"|"稳赚"|"保本"|"投资"|"高回报"|"理财")
sig investment.nfra_backed investment 55 "金融监管总局" ..20 ("备案"|"批准"|"监管"|"认证"|"背书") ..40 ("收益"|"稳赚"|"保本"|"投资"|"高回报"|"理财")
sig investment.sasac_backed investment 55 "国资委" ..20 ("备案"|"批准"|"监管"|"认证"|"背书") ..40 ("收益"|"稳赚"|"保本"|"投资"|"高回报"|"理财")

# Per-asset "teacher leads your trades, profits guaranteed" variants.
sig investment.stock_guarantee investment 60 "股票" ..30 ("稳赚"|"保本"|"包赚"|"零风险"|"无风险"|"翻倍"|"内幕"|"带单"|"喊单")
sig investment.fund_guarantee investment 60 "基金" ..30 ("稳赚"|"保本"|"包赚"|"零风险"|"无风险"|"翻倍"|"内幕"|"带单"|"喊单")
sig investment.futures_guarantee investment 60 "期货" ..30 ("稳赚"|"保本"|"包赚"|"零风险"|"无风险"|"翻倍"|"内幕"|"带单"|"喊单")
sig investment.forex_guarantee investment 60 "外汇" ..30 ("稳赚"|"保本"|"包赚"|"零风险"|"无风险"|"翻倍"|"内幕"|"带单"|"喊单")
sig investment.gold_guarantee investment 60 "黄金" ..30 ("稳赚"|"保本"|"包赚"|"零风险"|"无风险"|"翻倍"|"内幕"|"带单"|"喊单")
sig investment.crypto_guarantee investment 60 "虚拟币" ..30 ("稳赚"|"保本"|"包赚"|"零风险"|"无风险"|"翻倍"|"内幕"|"带单"|"喊单")
sig investment.usdt_guarantee investment 60 "usdt" ..30 ("稳赚"|"保本"|"包赚"|"零风险"|"无风险"|"翻倍"|"内幕"|"带单"|"喊单")
sig investment.btc_guarantee investment 60 "比特币" ..30 ("稳赚"|"保本"|"包赚"|"零风险"|"无风险"|"翻倍"|"内幕"|"带单"|"喊单")
sig investment.options_guarantee investment 60 "期权" ..30 ("稳赚"|"保本"|"包赚"|"零风险"|"无风险"|"翻倍"|"内幕"|"带单"|"喊单")
sig investment.hkstock_guarantee investment 60 "港股" ..30 ("稳赚"|"保本"|"包赚"|"零风险"|"无风险"|"翻倍"|"内幕"|"带单"|"喊单")
sig investment.usstock_guarantee investment 60 "美股" ..30 ("稳赚"|"保本"|"包赚"|"零风险"|"无风险"|"翻倍"|"内幕"|"带单"|"喊单")

# Stock-tip group bait as broadcast by SMS: a market hook (bull stock, limit-up,
# dark horse, "unlock your trapped positions"), a free offer, and a contact
# or group to join.
sig investment.market_bull investment 55 ("股市"|"大盘"|"a股"|"个股"|"股民"|"炒股"|"行情") ..40 ("牛股"|"涨停"|"黑马"|"翻倍"|"龙头股"|"主升浪"|"暴涨"|"妖股"|"强势股")
sig investment.free_stock investment 60 "免费" ..10 ("领取"|"获取"|"送"|"推荐"|"体验"|"诊断") ..10 ("牛股"|"金股"|"股票"|"涨停"|"黑马"|"个股"|"龙头")
sig investment.unlock_trap investment 45 ("解套"|"抄底"|"回本"|"补仓"|"被套") ..30 ("老师"|"专家"|"群"|<wechat>|<qq>|<phone>|"免费"|"加微信")
sig investment.stock_contact investment 45 ("股票"|"炒股"|"牛股"|"股民"|"选股") ..40 (<wechat>|<qq>|<url>|"加微信"|"加qq"|"进群"|"入群")
sig investment.institution investment 50 ("机构"|"私募"|"游资"|"主力"|"庄家") ..20 ("建仓"|"拉升"|"抢筹"|"资金流入"|"布局"|"内部"|"吸筹")
sig investment.position_guide investment 40 ("仓位"|"持仓"|"重仓"|"满仓") ..20 ("推荐"|"指导"|"老师"|"建议"|"跟上")
sig investment.profit_rate investment 45 ("月收益"|"周收益"|"日收益"|"收益率"|"年化收益") ..8 (<number>|"%"|"倍")

# 荐股 bait in the voice of a trading desk: a "操盘手 / 操盘团队" offering its
# picks, an address to "股民朋友", a securities or fund name with a QQ / WeChat
# group, profit claims for stocks. Each is a lure element (40-55); two of them,
# or one with the stock-tip signatures above, reach the threshold.
sig investment.trader investment 50 ("操盘手"|"操盘团队"|"操盘老师"|"首席操盘"|"操盘") ..40 ("盈利"|"收益"|"涨"|"股"|"qq"|"群"|<contact>|"免费"|"布局"|"建仓"|"跟")
sig investment.investor_address investment 45 ("股民朋友"|"各位股民"|"亲爱的股民"|"股友"|"股民")
sig investment.securities_group investment 50 ("证券"|"基金"|"股票"|"股市"|"个股"|"牛股"|"炒股") ..40 ("qq群"|"qq"|"群号"|"加群"|"入群"|"进群"|"微信群"|<qq>|<wechat>)
sig investment.stock_profit investment 45 ("股票"|"股市"|"个股"|"a股"|"炒股"|"证券"|"基金") ..40 ("盈利"|"收益"|"翻倍"|"赚"|"回报")
sig investment.profit_figure investment 35 ("收益"|"盈利") ..20 (<number>|<amount>|"%"|"倍"|"成")
sig investment.fund_manager investment 45 ("私募"|"机构"|"主力"|"游资") ..40 ("股"|"收益"|"盈利")

# 2026.11.23-2, from domain knowledge of the fake-base-station lures: the bare
# "pay into this account" message (bank + 户名 / 收款人 / 开户行, "请直接打到 .. 卡"),
# links sent "for you to look at", prize notices that hand out a claim code,
# confiscated-goods sales, 重金求子, male-escort job bait, "your card was
# charged at a mall, call <phone> if it was not you", a bank freeze with a
# contact, a credit-limit raise with a phone number, stock-tip vocabulary.
# Counted per corpus / label / source category before being kept (0 ham, 0 fbs spam).
sig investment.stock_terms investment 40 ("涨停"|"短线"|"次新股"|"龙头股"|"妖股"|"主升浪"|"翻倍股"|"题材股"|"潜力股"|"黑马股"|"强势股"|"大盘")
