# 冒充运营商 / 平台账户: "your phone points / data will expire, redeem at
# <link>", "real-name verification incomplete, your number will be
# suspended", "your WeChat / QQ / Alipay account is abnormal, verify at
# <link>", "your certificate expires".
sig account_phishing.realname_suspend account_phishing 55 ("实名"|"实名制"|"身份信息"|"机主信息") ..20 ("认证"|"登记"|"校验"|"核验"|"补登记"|"不全"|"未完善") ..30 ("停机"|"停用"|"冻结"|"注销"|"封号"|"限制")
sig account_phishing.suspend_link account_phishing 50 ("停机"|"销号"|"注销号码"|"暂停服务"|"限制通话") ..40 (<url>|"点击"|"链接"|"登录")
sig account_phishing.data_expire account_phishing 40 ("流量"|"话费"|"话费券"|"流量包") ..20 ("逾期"|"过期"|"到期"|"失效"|"作废"|"清零"|"清空"|"停用"|"注销") ..40 (<url>|"点击"|"链接"|"登录"|"领取")
sig account_phishing.free_data account_phishing 30 ("免费领取"|"免费赠送"|"赠送"|"领取") ..10 ("流量"|"话费") ..40 (<url>|"点击"|"链接"|"登录")
sig account_phishing.phone_points account_phishing 25 ("话费"|"手机"|"号码") ..20 "积分" ..30 ("兑换"|"兑现"|"领取"|"提取"|"换取"|"兑"|"逾期"|"过期"|"到期"|"失效"|"作废"|"清零"|"清空"|"停用"|"注销")
sig account_phishing.social_abnormal account_phishing 50 ("微信"|"qq"|"支付宝"|"apple id"|"icloud"|"抖音"|"账号") ..20 ("异常登录"|"异地登录"|"被盗"|"冻结"|"封号"|"违规"|"风险"|"异常") ..40 (<url>|"点击"|"链接"|"验证"|"解封"|"认证")
sig account_phishing.unblock account_phishing 45 ("解封"|"解冻"|"解除限制"|"恢复使用") ..30 (<url>|"点击"|"链接"|"登录"|"验证")
sig account_phishing.cert_expire account_phishing 50 ("证书"|"数字证书"|"安全证书"|"认证") ..20 ("过期"|"到期"|"失效") ..40 (<url>|"点击"|"链接"|"登录"|"更新")
sig account_phishing.verify_code_request account_phishing 55 ("验证码"|"动态码"|"校验码") ..30 ("发给我"|"告诉我"|"发我"|"提供给我"|"转发给我"|"截图给我"|"报给我")
sig account_phishing.sent_by_mistake account_phishing 50 ("发错"|"不小心发"|"误发"|"发到你") ..30 ("验证码"|"动态码")
sig account_phishing.password_update account_phishing 55 "密码" ..20 ("过期"|"失效"|"需要更新"|"需重置"|"已泄露"|"被修改") ..40 (<url>|"点击"|"链接"|"登录")
sig account_phishing.email_full account_phishing 40 "邮箱" ..20 ("已满"|"升级"|"停用"|"过期"|"验证") ..30 (<url>|"点击"|"链接"|"登录")
sig account_phishing.sim_upgrade account_phishing 55 ("sim卡"|"手机卡"|"电话卡") ..20 ("升级"|"过期"|"换卡"|"5g卡"|"补卡") ..40 (<url>|"点击"|"链接"|<contact>)
sig account_phishing.bill_overcharge account_phishing 35 ("话费"|"宽带"|"套餐") ..20 ("多扣"|"误扣"|"返还"|"退还"|"补偿") ..40 (<url>|"点击"|"链接"|<contact>)
sig account_phishing.cmcc_points account_phishing 40 ("中国移动"|"移动") ..40 "积分" ..40 ("兑换"|"兑现"|"领取"|"提取"|"换取"|"兑"|"逾期"|"过期"|"到期"|"失效"|"作废"|"清零"|"清空"|"停用"|"注销")
sig account_phishing.cmcc_realname account_phishing 55 ("中国移动"|"移动") ..40 ("实名"|"停机"|"销号"|"冻结") ..40 (<url>|"点击"|"链接"|"登录")
sig account_phishing.cmcc_gift account_phishing 35 ("中国移动"|"移动") ..40 ("话费"|"流量"|"礼包"|"积分") ..30 ("领取"|"赠送"|"返还") ..40 (<url>|"点击"|"链接"|"登录"|"网址")
sig account_phishing.unicom_points account_phishing 40 ("中国联通"|"联通") ..40 "积分" ..40 ("兑换"|"兑现"|"领取"|"提取"|"换取"|"兑"|"逾期"|"过期"|"到期"|"失效"|"作废"|"清零"|"清空"|"停用"|"注销")
sig account_phishing.unicom_realname account_phishing 55 ("中国联通"|"联通") ..40 ("实名"|"停机"|"销号"|"冻结") ..40 (<url>|"点击"|"链接"|"登录")
sig account_phishing.unicom_gift account_phishing 35 ("中国联通"|"联通") ..40 ("话费"|"流量"|"礼包"|"积分") ..30 ("领取"|"赠送"|"返还") ..40 (<url>|"点击"|"链接"|"登录"|"网址")
sig account_phishing.telecom_points account_phishing 40 ("中国电信"|"电信") ..40 "积分" ..40 ("兑换"|"兑现"|"领取"|"提取"|"换取"|"兑"|"逾期"|"过期"|"到期"|"失效"|"作废"|"清零"|"清空"|"停用"|"注销")
sig account_phishing.telecom_realname account_phishing 55 ("中国电信"|"电信") ..40 ("实名"|"停机"|"销号"|"冻结") ..40 (<url>|"点击"|"链接"|"登录")
sig account_phishing.telecom_gift account_phishing 35 ("中国电信"|"电信") ..40 ("话费"|"流量"|"礼包"|"积分") ..30 ("领取"|"赠送"|"返还") ..40 (<url>|"点击"|"链接"|"登录"|"网址")
sig account_phishing.cbn_points account_phishing 40 ("中国广电"|"广电") ..40 "积分" ..40 ("兑换"|"兑现"|"领取"|"提取"|"换取"|"兑"|"逾期"|"过期"|"到期"|"失效"|"作废"|"清零"|"清空"|"停用"|"注销")
sig account_phishing.cbn_realname account_phishing 55 ("中国广电"|"广电") ..40 ("实名"|"停机"|"销号"|"冻结") ..40 (<url>|"点击"|"链接"|"登录")
sig account_phishing.cbn_gift account_phishing 35 ("中国广电"|"广电") ..40 ("话费"|"流量"|"礼包"|"积分") ..30 ("领取"|"赠送"|"返还") ..40 (<url>|"点击"|"链接"|"登录"|"网址")
sig account_phishing.wechat_abnormal account_phishing 55 "微信" ..20 ("账号"|"帐号"|"账户"|"帐户"|"号") ..20 ("异常"|"冻结"|"封号"|"被盗"|"违规"|"风险"|"异地登录"|"限制") ..40 (<url>|"点击"|"链接"|"登录"|"验证"|"解封")
sig account_phishing.qq_abnormal account_phishing 55 "qq" ..20 ("账号"|"帐号"|"账户"|"帐户"|"号") ..20 ("异常"|"冻结"|"封号"|"被盗"|"违规"|"风险"|"异地登录"|"限制") ..40 (<url>|"点击"|"链接"|"登录"|"验证"|"解封")
sig account_phishing.alipay_abnormal account_phishing 55 "支付宝" ..20 ("账号"|"帐号"|"账户"|"帐户"|"号") ..20 ("异常"|"冻结"|"封号"|"被盗"|"违规"|"风险"|"异地登录"|"限制") ..40 (<url>|"点击"|"链接"|"登录"|"验证"|"解封")
sig account_phishing.appleid_abnormal account_phishing 55 "apple id" ..20 ("账号"|"帐号"|"账户"|"帐户"|"号") ..20 ("异常"|"冻结"|"封号"|"被盗"|"违规"|"风险"|"异地登录"|"限制") ..40 (<url>|"点击"|"链接"|"登录"|"验证"|"解封")
sig account_phishing.icloud_abnormal account_phishing 55 "icloud" ..20 ("账号"|"帐号"|"账户"|"帐户"|"号") ..20 ("异常"|"冻结"|"封号"|"被盗"|"违规"|"风险"|"异地登录"|"限制") ..40 (<url>|"点击"|"链接"|"登录"|"验证"|"解封")
sig account_phishing.douyin_abnormal account_phishing 55 "抖音" ..20 ("账号"|"帐号"|"账户"|"帐户"|"号") ..20 ("异常"|"冻结"|"封号"|"被盗"|"违规"|"风险"|"异地登录"|"限制") ..40 (<url>|"点击"|"链接"|"登录"|"验证"|"解封")
sig account_phishing.taobao_abnormal account_phishing 55 "淘宝" ..20 ("账号"|"帐号"|"账户"|"帐户"|"号") ..20 ("异常"|"冻结"|"封号"|"被盗"|"违规"|"风险"|"异地登录"|"限制") ..40 (<url>|"点击"|"链接"|"登录"|"验证"|"解封")
sig account_phishing.jd_abnormal account_phishing 55 "京东" ..20 ("账号"|"帐号"|"账户"|"帐户"|"号") ..20 ("异常"|"冻结"|"封号"|"被盗"|"违规"|"风险"|"异地登录"|"限制") ..40 (<url>|"点击"|"链接"|"登录"|"验证"|"解封")
sig account_phishing.weibo_abnormal account_phishing 55 "微博" ..20 ("账号"|"帐号"|"账户"|"帐户"|"号") ..20 ("异常"|"冻结"|"封号"|"被盗"|"违规"|"风险"|"异地登录"|"限制") ..40 (<url>|"点击"|"链接"|"登录"|"验证"|"解封")
sig account_phishing.baidu_abnormal account_phishing 55 "百度网盘" ..20 ("账号"|"帐号"|"账户"|"帐户"|"号") ..20 ("异常"|"冻结"|"封号"|"被盗"|"违规"|"风险"|"异地登录"|"限制") ..40 (<url>|"点击"|"链接"|"登录"|"验证"|"解封")
sig account_phishing.netease_abnormal account_phishing 55 "网易" ..20 ("账号"|"帐号"|"账户"|"帐户"|"号") ..20 ("异常"|"冻结"|"封号"|"被盗"|"违规"|"风险"|"异地登录"|"限制") ..40 (<url>|"点击"|"链接"|"登录"|"验证"|"解封")

# Operator gift with a deadline and a claim link: "your 话费 / 流量 gift is valid
# until today only, 点击领取 <link>". Operators' own campaigns link to their app
# or official account; a gift that expires within hours and must be claimed at
# a link is the phishing form (the link collects the card details or installs
# malware). Weak on its own, a lure with an operator gift (*_gift, 35).
sig account_phishing.operator_gift_deadline account_phishing 55 ("中国联通"|"中国移动"|"中国电信"|"中国广电"|"联通"|"移动"|"电信"|"广电") ..60 ("有效期"|"当天有效"|"当日有效"|"小时内有效"|"限时"|"截止"|"逾期"|"过期作废"|"逾期作废"|"过期清零") ..40 ("点击领取"|"点击兑换"|"登录领取"|"立即领取"|"速领"|"马上领取")
sig account_phishing.gift_deadline_link account_phishing 45 ("话费"|"流量"|"积分"|"红包") ..40 ("有效期"|"当天有效"|"当日有效"|"小时内有效"|"限时"|"截止"|"逾期"|"过期作废"|"逾期作废"|"过期清零") ..20 ("点击领取"|"点击兑换"|"登录领取"|"立即领取") ..20 <url>
