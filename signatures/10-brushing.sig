# 刷单返利 / 网络兼职: the most reported fraud type.  Lure: easy part-time
# "tasks" (liking, following, fake orders, good reviews) paid by commission;
# the victim first gets small payouts, then must advance ever larger sums
# ("垫付") that are never returned.
sig brushing.task_commission brushing 65 ("刷单"|"刷信誉"|"刷销量"|"刷好评"|"补单"|"拍单") .. ("佣金"|"返利"|"提成"|"返现"|"返佣"|"报酬"|"工资"|"酬劳")
sig brushing.word brushing 45 ("刷单"|"刷信誉"|"刷销量"|"刷钻")
sig brushing.recruit brushing 70 ("招聘"|"招募"|"诚招"|"急招"|"招") .. ("刷单"|"刷手"|"刷客"|"补单员"|"拍单员"|"打字员"|"点赞员")
sig brushing.advance_refund brushing 70 ("垫付"|"先垫"|"先付款"|"先付") ..20 ("返还"|"返本金"|"退还本金"|"本金"|"连本带利"|"一起返")
sig brushing.task_unlock brushing 70 ("做任务"|"完成任务"|"连单"|"联单"|"卡单"|"任务单") ..30 ("解冻"|"充值"|"垫付"|"才能提现"|"无法提现"|"不能提现")
sig brushing.daily_pay brushing 35 ("兼职"|"副业"|"在家"|"宝妈"|"学生") ..20 ("日结"|"日赚"|"日入"|"一单一结"|"当天结算"|"秒结"|"现结")
sig brushing.daily_amount brushing 45 ("日赚"|"日入"|"日结"|"每天赚"|"一天赚"|"轻松赚"|"日收入") ..6 (<amount>|<number>|"几百"|"上百"|"上千"|"百元"|"千元")
sig brushing.no_deposit brushing 40 ("兼职"|"工作"|"任务") ..20 ("不收押金"|"无需押金"|"零投入"|"0投入"|"无需投资"|"不收任何费用"|"零门槛")
sig brushing.phone_only brushing 35 ("一部手机"|"有手机就能"|"手机就可以"|"动动手指"|"利用空闲时间"|"闲暇时间"|"碎片时间") ..30 ("赚"|"兼职"|"收入"|"佣金")
sig brushing.contact brushing 40 ("兼职"|"刷单"|"任务"|"点赞") ..30 ("加微信"|"加qq"|<wechat>|<qq>|"联系微信"|"添加微信")
sig brushing.good_review brushing 40 ("好评"|"五星好评"|"评价") ..20 ("返现"|"返利"|"佣金"|"红包"|"赚")
sig brushing.follow_like brushing 55 ("点赞"|"关注"|"评论"|"收藏"|"转发"|"加粉"|"涨粉") ..20 ("佣金"|"赚"|"元一单"|"一单"|"一个赞"|"日结")
sig brushing.vip_upgrade brushing 55 ("兼职"|"任务"|"接单") ..30 ("会员费"|"入会费"|"激活费"|"押金"|"升级会员"|"保证金")
sig brushing.gift_card_tasks brushing 50 ("充值卡"|"购物卡"|"礼品卡"|"游戏点卡"|"京东卡"|"话费卡") ..30 ("返利"|"佣金"|"回收"|"垫付")
sig brushing.typist brushing 50 ("打字员"|"录入员"|"抄写员"|"手工活"|"手工外发") ..30 ("日结"|"在家"|"押金"|"赚"|"兼职")
sig brushing.fake_order_platform brushing 60 ("垫付"|"刷单"|"补单") ..30 ("平台"|"商家"|"店铺") ..30 ("返还"|"返"|"佣金")
sig brushing.app_download brushing 40 ("兼职"|"任务"|"接单") ..30 ("下载"|"安装") ..20 ("app"|"软件"|"客户端")
sig brushing.taobao_recruit brushing 55 ("淘宝"|"天猫"|"京东"|"拼多多"|"电商") ..10 ("兼职"|"刷手"|"客服兼职"|"招聘兼职")
sig brushing.investment_task brushing 60 "任务" ..20 ("充值"|"投入"|"垫资") ..20 ("返"|"佣金"|"收益")
sig brushing.stuck_order brushing 60 ("操作失误"|"操作错误"|"卡单"|"数据异常"|"订单异常") ..30 ("解冻"|"充值"|"补缴"|"继续做")

# Per-platform "like / follow / review for pay" tasks: one signature per social
# or shopping platform, since the lure names the platform whose traffic is
# "boosted".
sig brushing.douyin_like_pay brushing 60 "抖音" ..20 ("点赞"|"关注"|"评论"|"好评"|"收藏"|"浏览"|"下单") ..20 ("佣金"|"赚"|"返"|"日结"|"元一单"|"一单")
sig brushing.douyin_parttime brushing 55 "抖音" ..10 ("兼职"|"任务"|"点赞员"|"刷单"|"补单")
sig brushing.kuaishou_like_pay brushing 60 "快手" ..20 ("点赞"|"关注"|"评论"|"好评"|"收藏"|"浏览"|"下单") ..20 ("佣金"|"赚"|"返"|"日结"|"元一单"|"一单")
sig brushing.kuaishou_parttime brushing 55 "快手" ..10 ("兼职"|"任务"|"点赞员"|"刷单"|"补单")
sig brushing.xhs_like_pay brushing 60 "小红书" ..20 ("点赞"|"关注"|"评论"|"好评"|"收藏"|"浏览"|"下单") ..20 ("佣金"|"赚"|"返"|"日结"|"元一单"|"一单")
sig brushing.xhs_parttime brushing 55 "小红书" ..10 ("兼职"|"任务"|"点赞员"|"刷单"|"补单")
sig brushing.weibo_like_pay brushing 60 "微博" ..20 ("点赞"|"关注"|"评论"|"好评"|"收藏"|"浏览"|"下单") ..20 ("佣金"|"赚"|"返"|"日结"|"元一单"|"一单")
sig brushing.weibo_parttime brushing 55 "微博" ..10 ("兼职"|"任务"|"点赞员"|"刷单"|"补单")
sig brushing.bilibili_like_pay brushing 60 "b站" ..20 ("点赞"|"关注"|"评论"|"好评"|"收藏"|"浏览"|"下单") ..20 ("佣金"|"赚"|"返"|"日结"|"元一单"|"一单")
sig brushing.bilibili_parttime brushing 55 "b站" ..10 ("兼职"|"任务"|"点赞员"|"刷单"|"补单")
sig brushing.taobao_like_pay brushing 60 "淘宝" ..20 ("点赞"|"关注"|"评论"|"好评"|"收藏"|"浏览"|"下单") ..20 ("佣金"|"赚"|"返"|"日结"|"元一单"|"一单")
sig brushing.taobao_parttime brushing 55 "淘宝" ..10 ("兼职"|"任务"|"点赞员"|"刷单"|"补单")
sig brushing.pdd_like_pay brushing 60 "拼多多" ..20 ("点赞"|"关注"|"评论"|"好评"|"收藏"|"浏览"|"下单") ..20 ("佣金"|"赚"|"返"|"日结"|"元一单"|"一单")
sig brushing.pdd_parttime brushing 55 "拼多多" ..10 ("兼职"|"任务"|"点赞员"|"刷单"|"补单")
sig brushing.jd_like_pay brushing 60 "京东" ..20 ("点赞"|"关注"|"评论"|"好评"|"收藏"|"浏览"|"下单") ..20 ("佣金"|"赚"|"返"|"日结"|"元一单"|"一单")
sig brushing.jd_parttime brushing 55 "京东" ..10 ("兼职"|"任务"|"点赞员"|"刷单"|"补单")
sig brushing.meituan_like_pay brushing 60 "美团" ..20 ("点赞"|"关注"|"评论"|"好评"|"收藏"|"浏览"|"下单") ..20 ("佣金"|"赚"|"返"|"日结"|"元一单"|"一单")
sig brushing.meituan_parttime brushing 55 "美团" ..10 ("兼职"|"任务"|"点赞员"|"刷单"|"补单")
sig brushing.dianping_like_pay brushing 60 "大众点评" ..20 ("点赞"|"关注"|"评论"|"好评"|"收藏"|"浏览"|"下单") ..20 ("佣金"|"赚"|"返"|"日结"|"元一单"|"一单")
sig brushing.dianping_parttime brushing 55 "大众点评" ..10 ("兼职"|"任务"|"点赞员"|"刷单"|"补单")
sig brushing.wechat_video_like_pay brushing 60 "视频号" ..20 ("点赞"|"关注"|"评论"|"好评"|"收藏"|"浏览"|"下单") ..20 ("佣金"|"赚"|"返"|"日结"|"元一单"|"一单")
sig brushing.wechat_video_parttime brushing 55 "视频号" ..10 ("兼职"|"任务"|"点赞员"|"刷单"|"补单")
sig brushing.toutiao_like_pay brushing 60 "头条" ..20 ("点赞"|"关注"|"评论"|"好评"|"收藏"|"浏览"|"下单") ..20 ("佣金"|"赚"|"返"|"日结"|"元一单"|"一单")
sig brushing.toutiao_parttime brushing 55 "头条" ..10 ("兼职"|"任务"|"点赞员"|"刷单"|"补单")
sig brushing.tmall_like_pay brushing 60 "天猫" ..20 ("点赞"|"关注"|"评论"|"好评"|"收藏"|"浏览"|"下单") ..20 ("佣金"|"赚"|"返"|"日结"|"元一单"|"一单")
sig brushing.tmall_parttime brushing 55 "天猫" ..10 ("兼职"|"任务"|"点赞员"|"刷单"|"补单")

# 2026.11.23-2, from domain knowledge of the fake-base-station lures: the bare
# "pay into this account" message (bank + 户名 / 收款人 / 开户行, "请直接打到 .. 卡"),
# links sent "for you to look at", prize notices that hand out a claim code,
# confiscated-goods sales, 重金求子, male-escort job bait, "your card was
# charged at a mall, call <phone> if it was not you", a bank freeze with a
# contact, a credit-limit raise with a phone number, stock-tip vocabulary.
# Counted per corpus / label / source category before being kept (0 ham, 0 fbs spam).
sig brushing.male_pr brushing 55 ("男公关"|"男模"|"伴游"|"富婆") ..30 ("招聘"|"高薪"|"日结"|"日薪"|"月入"|"包养")
