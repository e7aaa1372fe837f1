# 冒充亲友 / 领导 / 熟人: "guess who I am", "this is my new number",
# "come to my office tomorrow" from a "boss", then an urgent transfer request
# ("I am in a meeting, transfer to this account for me"); "your child is
# hurt at school, pay the surgery fee now"; kidnapping claims.  Chat corpora
# are full of "新号码" and "帮我转", so each element alone is weak; the
# request for money makes it a scam.
sig impersonation.guess_who impersonation 35 ("猜猜我是谁"|"猜我是谁"|"还记得我吗"|"听不出我是谁"|"不记得我了")
sig impersonation.new_number impersonation 20 ("换号了"|"换号码了"|"新号码"|"新号"|"这是我的新")
sig impersonation.new_number_money impersonation 50 ("换号"|"新号"|"新号码"|"手机坏了"|"手机丢了"|"号码停了") ..60 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"借钱"|"借我"|"急用钱"|"急需")
sig impersonation.office_tomorrow impersonation 40 ("明天"|"明早"|"明天上午"|"明天早上"|"一会"|"下午") ..10 ("来我办公室"|"到我办公室"|"来我这"|"来我办公室一趟"|"到我办公室一趟")
sig impersonation.busy_transfer impersonation 60 ("在开会"|"开会"|"不方便接电话"|"不方便出面"|"不方便说话"|"不方便转"|"手机不方便"|"不方便") ..40 ("帮我"|"你先"|"先帮") ..20 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"转一下"|"垫付"|"垫一下"|"打过去")
sig impersonation.boss_transfer impersonation 60 ("领导"|"老板"|"董事长"|"总经理"|"局长"|"处长"|"校长"|"主任") ..40 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入") ..40 ("账户"|<card>|"对方"|"这个账号"|"以下账户")
sig impersonation.transfer_account impersonation 45 ("转到这个账户"|"打到这个账户"|"汇到这个账户"|"转到这个卡"|"打到这张卡"|"转到以下账户"|"打到以下"|"汇到以下"|"账户如下"|"卡号如下")
sig impersonation.transfer_card impersonation 40 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入") ..20 <card>
sig impersonation.card_name_bank impersonation 45 <card> ..20 ("户名"|"姓名"|"收款人"|"开户行"|"开户")
sig impersonation.dont_call impersonation 45 ("别打电话"|"不要打电话"|"不能接电话"|"不方便接"|"别给我打"|"先别说"|"别告诉") ..60 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"借"|"急用")
sig impersonation.child_accident impersonation 75 ("孩子"|"儿子"|"女儿"|"你家孩子"|"您的孩子"|"学生") ..30 ("受伤"|"住院"|"抢救"|"晕倒"|"出事"|"车祸"|"被打"|"摔伤"|"骨折"|"急病"|"突发疾病") ..60 ("手术费"|"医药费"|"住院费"|"押金"|"转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入")
sig impersonation.kidnap impersonation 85 ("绑架"|"绑了"|"在我们手上"|"在我手上"|"扣押") ..60 ("赎金"|"打钱"|"汇款"|"转账"|"报警"|"撕票")
sig impersonation.relative_arrested impersonation 65 ("被抓"|"被拘留"|"被派出所"|"被警察"|"出事了"|"嫖娼"|"赌博被抓"|"打架") ..60 ("保释金"|"罚款"|"打钱"|"汇款"|"转账"|"取保")
sig impersonation.teacher_fee impersonation 55 ("班主任"|"老师") ..30 ("资料费"|"学杂费"|"培训费"|"补课费"|"书本费"|"校服费") ..40 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|<card>|"微信"|"收款码"|"二维码")
sig impersonation.teacher_group impersonation 45 ("家长群"|"班级群"|"新群") ..30 ("缴费"|"收费"|"转账"|"扫码"|"交费")
sig impersonation.i_am_rel impersonation 25 ("我是你"|"我是您") ..2 ("爸"|"妈"|"老公"|"老婆"|"儿子"|"女儿"|"哥"|"姐"|"弟"|"妹"|"舅"|"叔"|"姑"|"姨"|"表哥"|"表姐"|"同学"|"老同学"|"老朋友"|"战友"|"领导"|"老板"|"老师"|"房东")
sig impersonation.urgent_borrow impersonation 45 ("急用钱"|"急需用钱"|"急需"|"急着用"|"周转一下"|"应急") ..30 ("借我"|"借点"|"转我"|"先转"|"打我"|<card>)
sig impersonation.wechat_frozen impersonation 50 ("微信"|"qq"|"支付宝") ..10 ("被冻结"|"被封"|"用不了"|"不能用"|"登不上") ..40 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"借"|"帮我")
sig impersonation.gift_or_favor impersonation 50 ("送礼"|"打点"|"疏通关系"|"办事") ..30 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"垫付"|"先借")
sig impersonation.leader_friend impersonation 55 ("领导"|"老板") ..30 ("朋友"|"亲戚"|"合作方"|"客户") ..40 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"借钱"|"垫付")
sig impersonation.overseas_relative impersonation 55 ("国外"|"海外"|"境外"|"出国") ..30 ("亲戚"|"朋友"|"同学"|"儿子"|"女儿") ..40 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"手续费")

# Per-relation "I am your X ... transfer / borrow" (the relation named, then
# the money request within a sentence).
sig impersonation.rel_dad_money impersonation 40 ("我是你"|"我是您"|"我是") ..2 ("爸"|"爸爸") ..60 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"借钱"|"借我"|"急用"|<card>)
sig impersonation.rel_mom_money impersonation 40 ("我是你"|"我是您"|"我是") ..2 ("妈"|"妈妈") ..60 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"借钱"|"借我"|"急用"|<card>)
sig impersonation.rel_son_money impersonation 40 ("我是你"|"我是您"|"我是") ..2 "儿子" ..60 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"借钱"|"借我"|"急用"|<card>)
sig impersonation.rel_daughter_money impersonation 40 ("我是你"|"我是您"|"我是") ..2 "女儿" ..60 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"借钱"|"借我"|"急用"|<card>)
sig impersonation.rel_husband_money impersonation 40 ("我是你"|"我是您"|"我是") ..2 "老公" ..60 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"借钱"|"借我"|"急用"|<card>)
sig impersonation.rel_wife_money impersonation 40 ("我是你"|"我是您"|"我是") ..2 "老婆" ..60 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"借钱"|"借我"|"急用"|<card>)
sig impersonation.rel_brother_money impersonation 40 ("我是你"|"我是您"|"我是") ..2 ("哥"|"弟弟"|"表哥"|"表弟") ..60 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"借钱"|"借我"|"急用"|<card>)
sig impersonation.rel_sister_money impersonation 40 ("我是你"|"我是您"|"我是") ..2 ("姐"|"妹妹"|"表姐"|"表妹") ..60 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"借钱"|"借我"|"急用"|<card>)
sig impersonation.rel_uncle_money impersonation 40 ("我是你"|"我是您"|"我是") ..2 ("舅舅"|"叔叔"|"伯伯") ..60 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"借钱"|"借我"|"急用"|<card>)
sig impersonation.rel_aunt_money impersonation 40 ("我是你"|"我是您"|"我是") ..2 ("姑姑"|"阿姨"|"舅妈") ..60 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"借钱"|"借我"|"急用"|<card>)
sig impersonation.rel_classmate_money impersonation 40 ("我是你"|"我是您"|"我是") ..2 ("老同学"|"同学") ..60 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"借钱"|"借我"|"急用"|<card>)
sig impersonation.rel_comrade_money impersonation 40 ("我是你"|"我是您"|"我是") ..2 "战友" ..60 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"借钱"|"借我"|"急用"|<card>)
sig impersonation.rel_leader_money impersonation 40 ("我是你"|"我是您"|"我是") ..2 "领导" ..60 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"借钱"|"借我"|"急用"|<card>)
sig impersonation.rel_boss_money impersonation 40 ("我是你"|"我是您"|"我是") ..2 "老板" ..60 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"借钱"|"借我"|"急用"|<card>)
sig impersonation.rel_teacher_money impersonation 40 ("我是你"|"我是您"|"我是") ..2 ("老师"|"班主任") ..60 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"借钱"|"借我"|"急用"|<card>)
sig impersonation.rel_nephew_money impersonation 40 ("我是你"|"我是您"|"我是") ..2 ("侄子"|"外甥") ..60 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"借钱"|"借我"|"急用"|<card>)
sig impersonation.rel_friend_money impersonation 40 ("我是你"|"我是您"|"我是") ..2 ("老朋友"|"朋友") ..60 ("转账"|"汇款"|"打款"|"转款"|"打钱"|"转钱"|"汇钱"|"转到"|"打到"|"汇到"|"存入"|"借钱"|"借我"|"急用"|<card>)

# "Send the money to this account": a text sent at random that reads like a
# follow-up from someone the reader owes money (rent, tuition, goods), with
# "new" account details; and the landlord who "changed his card".
sig impersonation.money_to_card impersonation 60 ("钱"|"款"|"房租"|"学费"|"货款"|"租金"|"生活费"|"押金"|"费用") ..10 ("打到"|"转到"|"汇到"|"存到"|"打入"|"转入"|"汇入"|"直接打"|"存入") ..15 ("这个"|"此"|"我的"|"以下"|"下面"|"这张"|"新"|"我") ..10 ("账户"|"卡"|"账号"|"卡号"|"卡上")
sig impersonation.bank_card_number impersonation 45 ("工行"|"农行"|"建行"|"中行"|"交行"|"招行"|"邮政"|"银行"|"信用社") ..10 ("卡号"|"账号"|"帐号") ..6 (<card>|<number>)
sig impersonation.number_holder impersonation 30 (<card>|<number>) ..20 ("户名"|"收款人"|"开户名")
sig impersonation.landlord_card impersonation 70 ("房东"|"物业") ..60 ("房租"|"租金"|"水电"|"物业费") ..40 ("打到"|"转到"|"汇到"|"换卡"|"新卡"|"这张卡"|"这个卡"|"新账户")

# 2026.11.23-2, from domain knowledge of the fake-base-station lures: the bare
# "pay into this account" message (bank + 户名 / 收款人 / 开户行, "请直接打到 .. 卡"),
# links sent "for you to look at", prize notices that hand out a claim code,
# confiscated-goods sales, 重金求子, male-escort job bait, "your card was
# charged at a mall, call <phone> if it was not you", a bank freeze with a
# contact, a credit-limit raise with a phone number, stock-tip vocabulary.
# Counted per corpus / label / source category before being kept (0 ham, 0 fbs spam).
sig impersonation.bank_account_holder impersonation 60 ("工商银行"|"工行"|"农业银行"|"农行"|"建设银行"|"建行"|"中国银行"|"中行"|"交通银行"|"交行"|"招商银行"|"招行"|"邮政储蓄"|"邮储"|"邮政"|"信用社"|"农商行"|"银行") ..20 ("户名"|"开户名"|"收款人"|"开户行"|"开户网点"|"账户名"|"帐户名")
sig impersonation.please_transfer_to impersonation 60 ("直接"|"请"|"麻烦"|"你") ..4 ("打到"|"汇到"|"转到"|"存到"|"打入"|"汇入"|"存入"|"转入") ..10 ("卡"|"账户"|"帐户"|"账号"|"帐号"|"银行"|"工行"|"农行"|"建行"|"中行"|"邮政")
sig impersonation.transfer_account_no impersonation 50 ("汇款"|"转账"|"打款"|"存款"|"付款"|"收款") ..6 ("账号"|"帐号"|"卡号"|"账户"|"帐户")
