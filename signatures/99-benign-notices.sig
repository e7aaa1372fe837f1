# Benign-class templates: recognised legitimate notices.  Their combined
# score is SUBTRACTED from every scam category, so a real bank or
# verification-code notice, or an official anti-fraud warning that quotes
# scam phrases on purpose ("公安机关不会要求转账到安全账户"), is not flagged.
# They are specific to the legitimate form (the warning verb, the
# "do not disclose" instruction), which a lure does not contain.

# Verification-code notices: the code, a validity window, and the
# instruction not to disclose it.
sig benign_otp.do_not_disclose benign_otp 75 ("验证码"|"动态码"|"校验码"|"动态密码") ..40 ("请勿"|"切勿"|"不要"|"勿"|"严禁"|"请不要"|"千万不要") ..10 ("泄露"|"泄漏"|"告诉"|"告知"|"转发"|"透露"|"提供"|"给他人"|"向任何人")
sig benign_otp.validity benign_otp 50 ("验证码"|"动态码"|"校验码") ..30 ("分钟内有效"|"分钟有效"|"分钟内输入"|"有效期"|"分钟内完成")
sig benign_otp.staff_never_ask benign_otp 60 ("工作人员"|"客服"|"任何人"|"我们"|"本行") ..20 ("不会"|"不会向您"|"绝不会"|"从不") ..10 ("索要"|"索取"|"询问"|"要求提供"|"向您索要")
sig benign_otp.not_you benign_otp 35 ("如非本人操作"|"若非本人操作"|"如非您本人"|"非本人操作") ..30 ("忽略"|"请忽略"|"修改密码"|"致电"|"联系")
sig benign_otp.doing benign_otp 45 ("您正在"|"你正在"|"本次") ..20 ("登录"|"注册"|"修改"|"绑定"|"进行"|"操作"|"申请") ..30 ("验证码"|"动态码"|"校验码")

# Bank transaction notices: the card's last digits, a debit / credit, the
# amount and the balance.
sig benign_bank.transaction benign_bank 60 ("尾号"|"账户尾号"|"卡尾号"|"您尾号"|"末四位") ..40 ("支出"|"收入"|"存入"|"转入"|"转出"|"消费"|"交易"|"入账"|"扣款"|"汇入"|"支取"|"取款"|"代付"|"还款") ..40 ("余额"|"可用余额"|"可用额度")
sig benign_bank.balance benign_bank 35 ("余额"|"可用余额"|"活期余额") ..4 (<amount>|<number>)
sig benign_bank.repayment_due benign_bank 40 ("本期账单"|"本期应还"|"最低还款"|"到期还款日") ..40 (<amount>|"还款")

# Courier pickup notices: a pickup code and a locker or station.
sig benign_courier.pickup_code benign_courier 55 ("取件码"|"提货码"|"取货码"|"取件密码"|"凭码取件")
sig benign_courier.station benign_courier 55 ("快递"|"包裹"|"快件") ..20 ("已到"|"已放"|"已送达"|"已存放"|"放在"|"已签收"|"已到达"|"已投递") ..30 ("驿站"|"快递柜"|"丰巢"|"菜鸟"|"代收点"|"门卫"|"前台"|"传达室"|"收发室"|"智能柜")

# Official anti-fraud warnings (police, the national anti-fraud centre,
# banks, operators): the warning verbs and the "anyone who asks X is a
# scammer" form.
sig benign_antifraud.beware benign_antifraud 70 ("警惕"|"谨防"|"小心"|"提防"|"防范") ..20 ("诈骗"|"骗局"|"电诈"|"受骗"|"上当"|"骗子")
sig benign_antifraud.anti_fraud benign_antifraud 60 ("反诈"|"反电诈"|"防诈"|"反诈骗") ..20 ("提醒"|"中心"|"宣传"|"预警"|"民警"|"知识"|"劝阻")
sig benign_antifraud.national benign_antifraud 70 ("国家反诈中心"|"反诈中心"|"全民反诈"|"反诈app")
sig benign_antifraud.all_are_scams benign_antifraud 85 ("凡是"|"凡"|"只要是"|"一律") ..40 ("都是诈骗"|"均为诈骗"|"一律是诈骗"|"就是诈骗"|"都是骗子"|"一律为诈骗"|"均是诈骗"|"都是骗局"|"必是诈骗")
sig benign_antifraud.never benign_antifraud 80 ("不会"|"从不"|"绝不"|"决不"|"不存在"|"没有所谓") ..15 ("安全账户"|"电话办案"|"索要验证码"|"要求转账"|"网上办案"|"让您转账"|"网上通缉"|"通过电话"|"电话通知"|"索要密码"|"要求您转账")
sig benign_antifraud.police_remind benign_antifraud 65 ("公安提醒"|"警方提醒"|"民警提醒"|"派出所提醒"|"温馨提示"|"公安局提醒"|"银行提醒"|"郑重提醒") ..60 ("诈骗"|"骗"|"转账"|"陌生"|"可疑")
sig benign_antifraud.report benign_antifraud 55 ("如遇"|"如有"|"如果遇到"|"发现") ..20 ("可疑"|"诈骗"|"被骗") ..30 ("报警"|"拨打"|"举报")
sig benign_antifraud.do_not benign_antifraud 40 ("切勿"|"不要轻信"|"勿轻信"|"不要随意"|"请勿随意"|"不要相信") ..20 ("转账"|"汇款"|"点击"|"泄露"|"陌生"|"来电"|"链接")
sig benign_antifraud.alert benign_antifraud 60 "诈骗" ..10 ("预警"|"提醒"|"高发"|"案件频发"|"手法"|"套路")

# Operator account notices: usage so far this month, balance, top-up
# confirmations.
sig benign_operator.usage benign_operator 45 ("本月"|"当月"|"截至"|"截止") ..20 ("已使用"|"已用"|"剩余"|"已产生"|"累计使用") ..20 ("流量"|"语音"|"话费"|"通话"|"分钟")
sig benign_operator.balance benign_operator 40 ("话费余额"|"账户余额"|"可用余额") ..10 (<amount>|<number>)
sig benign_operator.topup benign_operator 45 ("充值成功"|"缴费成功"|"交费成功"|"已到账"|"已成功充值"|"成功缴费")

# English one-time-code and account notices: "do not share this code",
# "we will never ask for your PIN", "X is your verification code".
sig en_benign.do_not_share en_benign 65 ("do not share"|"don't share"|"never share"|"dont share"|"do not disclose"|"never disclose"|"do not give") ..30 ("code"|"otp"|"pin"|"password")
sig en_benign.is_your_code en_benign 45 ("is your"|"is the") ..10 ("verification code"|"security code"|"one-time"|"otp"|"login code"|"passcode")
sig en_benign.never_ask en_benign 60 ("will never ask"|"never ask"|"will not ask"|"won't ask"|"never call") ..40 ("pin"|"password"|"code"|"otp"|"details")
