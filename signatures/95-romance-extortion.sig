# 杀猪盘 and gambling fraud: a "friend" met online steers the victim to an
# "insider" betting or investment site ("系统漏洞", "稳赢计划"), or a
# "lottery tutor" sells winning plans.
sig romance_gambling.loophole romance_gambling 70 ("漏洞"|"后台"|"内部数据"|"内部计划") ..30 ("稳赢"|"稳赚"|"必中"|"包中"|"下注"|"投注"|"彩票"|"平台")
sig romance_gambling.win_plan romance_gambling 60 ("稳赢"|"必中"|"包中"|"稳赚") ..20 ("计划"|"方案"|"导师"|"老师"|"带玩")
sig romance_gambling.lottery_tutor romance_gambling 55 ("彩票"|"时时彩"|"快三"|"六合彩"|"北京赛车"|"幸运飞艇") ..30 ("导师"|"老师"|"计划"|"内部"|"漏洞"|"带")
sig romance_gambling.dating_invest romance_gambling 55 ("交友"|"网恋"|"婚恋"|"相亲"|"男朋友"|"女朋友") ..60 ("投资"|"理财"|"平台"|"下注"|"博彩")
sig romance_gambling.lonely romance_gambling 35 ("寂寞"|"孤单"|"找个伴"|"交个朋友"|"认识一下"|"想认识你") ..40 (<wechat>|<qq>|"加微信"|"加qq")

# 敲诈勒索: nude-chat blackmail ("I have your video, will send it to your
# contacts"), hired-thug threats ("someone paid me to break your leg, pay
# more to be spared"), private-investigator scandal photos.
sig extortion.hired_thug extortion 85 ("有人出钱"|"有人花钱"|"有人出"|"有人雇"|"受人之托"|"雇我") ..40 ("你的腿"|"你一条腿"|"你的命"|"你的手"|"收拾你"|"教训你"|"弄你"|"砍你"|"废了你")
sig extortion.pay_to_spare extortion 70 ("破财消灾"|"花钱消灾"|"放你一马"|"饶你一次"|"饶了你") ..60 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|<card>|<amount>)
sig extortion.nude_video extortion 80 ("裸聊"|"不雅视频"|"不雅照"|"裸照"|"视频录像"|"隐私视频"|"私密视频") ..60 ("发给"|"曝光"|"公开"|"家人"|"通讯录"|"亲友"|"同事")
sig extortion.contacts_threat extortion 60 ("通讯录"|"你的家人"|"你的同事"|"亲朋好友") ..30 ("发给"|"曝光"|"公布") ..60 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|<card>|<amount>|"否则")
sig extortion.detective extortion 60 ("私家侦探"|"调查公司"|"跟踪") ..40 ("照片"|"证据"|"视频") ..40 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"联系"|<contact>|"否则")
sig extortion.scandal_photos extortion 60 ("你的照片"|"你的视频"|"这些照片") ..40 ("想要"|"删除"|"不想") ..40 ("联系"|<contact>|"转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|<amount>)
sig extortion.lawyer_letter extortion 45 ("律师函"|"催收函"|"起诉书") ..40 (<url>|"点击"|"查看")

# 冒充军警采购 and fake bargains: "army / police unit buying your goods,
# pay the supplier deposit", cheap phones or cigarettes "from customs
# seizures", medicine and health-product sales to the elderly.
sig fake_purchase.army_order fake_purchase 65 ("部队"|"军队"|"武警"|"军区"|"军官"|"后勤") ..30 ("采购"|"订购"|"订货"|"订餐"|"购买") ..40 ("垫付"|"代购"|"供应商"|"保证金"|"先付"|"联系")
sig fake_purchase.customs_seized fake_purchase 65 ("海关罚没"|"罚没"|"走私车"|"走私货"|"海关扣押") ..30 ("手机"|"汽车"|"电脑"|"香烟"|"低价"|"处理")
sig fake_purchase.cheap_car fake_purchase 50 ("低价"|"超低价"|"特价"|"半价") ..20 ("汽车"|"手机"|"电脑"|"苹果"|"黄金") ..40 (<contact>|"联系"|"出售")
sig fake_purchase.health_product fake_purchase 45 ("包治"|"根治"|"祖传秘方"|"特效药"|"神药"|"免费体检") ..40 (<contact>|"联系"|"咨询"|"领取")
sig fake_purchase.collectibles fake_purchase 50 ("收藏品"|"纪念币"|"纪念钞"|"邮票"|"古董"|"字画"|"藏品") ..30 ("升值"|"拍卖"|"高价回收"|"鉴定"|"回购")
sig fake_purchase.deposit_first fake_purchase 40 ("先付"|"先交"|"预付"|"定金") ..20 ("发货"|"送货"|"订单") ..30 (<card>|<contact>|"微信")

# 2026.11.23-2, from domain knowledge of the fake-base-station lures: the bare
# "pay into this account" message (bank + 户名 / 收款人 / 开户行, "请直接打到 .. 卡"),
# links sent "for you to look at", prize notices that hand out a claim code,
# confiscated-goods sales, 重金求子, male-escort job bait, "your card was
# charged at a mall, call <phone> if it was not you", a bank freeze with a
# contact, a credit-limit raise with a phone number, stock-tip vocabulary.
# Counted per corpus / label / source category before being kept (0 ham, 0 fbs spam).
sig fake_purchase.confiscated_car fake_purchase 60 ("罚没车"|"海关罚没"|"走私车"|"法院拍卖车"|"罚没物品"|"缉私车"|"罚没手机"|"罚没品")
sig romance_gambling.seek_child romance_gambling 70 ("重金求子"|"借腹生子"|"借种"|"求子")
