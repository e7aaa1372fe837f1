# Test signatures for tests/unit/check_scam_sms.c (not the shipped set:
# that is signatures/*.sig).
version scam-sms-test-1

category refund scam 快递理赔
category bank_phishing scam 冒充银行
category gambling spam 赌博推广
category bank_notice benign 银行通知

# Lost parcel, compensation through a contact: the classic refund scam.
sig refund.claim refund 85 ("快递" | "包裹") .. ("丢失" | "理赔") .. <contact>
# The same story without a contact (weak on its own).
sig refund.lost refund 60 "包裹" ..4 "丢失"
# Points expire, redeem them at a link.
sig bank.points bank_phishing 70 "积分" .. ("兑换" | "清零") .. <url>
# Casino promotion: spam, not fraud.
sig gambling.casino gambling 80 ("博彩" | "娱乐城") .. ("注册" | "彩金")
# A real bank notice.
sig notice.balance bank_notice 50 "您尾号" .. <amount>
