# Test signatures for tests/e2e/test_sig.sh and tools/bench_sig (not the
# shipped set: that is signatures/*.sig).
version test-1

category brushing scam 刷单返利
category fake_bank scam 冒充银行
category gambling spam 赌博推广
category bank_notice benign 银行通知

# Brushing: a task, then what it pays.
sig brushing.task_commission brushing 60 "刷单" .. ("佣金" | "返利" | "提成")
# Daily pay for clicks: the usual hook.
sig brushing.daily_pay brushing 60 ("日结" | "当天结算") .. ("兼职" | "刷单")
# Contact the recruiter on WeChat / QQ.
sig brushing.add_contact brushing 40 ("加" | "联系") ..4 <contact>

# Fake bank: points expire, log in at a link.
sig fake_bank.points_link fake_bank 70 "积分" .. ("兑换" | "清零") .. <url>
sig fake_bank.account_frozen fake_bank 70 "账户" ..6 ("冻结" | "异常") .. <url>

sig gambling.casino gambling 80 ("博彩" | "娱乐城" | "百家乐") .. ("注册" | "彩金")

# A bank's real notice: the amount and the card, no link.
sig bank_notice.balance bank_notice 50 "您尾号" .. "的卡" .. <amount>
sig bank_notice.fraud_warning bank_notice 40 ("反诈中心" | "谨防诈骗")
