# English marketing spam: premium subscriptions, ringtones, chat / dating
# lines, unsubscribe footers, generic offers; and (since 2026.11.23-3) the
# generic mechanics of bulk SMS that service notices share.  Spam class:
# reported for monitoring, never the cause of a block, so the weights here
# only rank which marketing form is reported.
# 2026.11.23-3: takes en_prize.stop_footer's extra spellings (stop2, 2stop, txtstop...).
sig en_spam.stop en_spam 50 ("txt stop"|"text stop"|"reply stop"|"send stop"|"sms stop"|"stop sms"|"stop txt"|"txtstop"|"stop to"|"stop2"|"2stop"|"to opt out"|"to optout"|"optout"|"unsubscribe"|"stop2end"|"stop 2 end"|"to stop"|"end txt"|"txt end"|"opt out")
sig en_spam.ringtone en_spam 55 ("ringtone"|"ring tone"|"wallpaper"|"polyphonic"|"real tone"|"mobile game"|"java game")
sig en_spam.chat en_spam 50 ("chat"|"dating"|"date"|"singles"|"horny"|"sexy"|"adult"|"xxx"|"hot girls"|"naughty") ..40 ("txt"|"text"|"call"|"reply"|<number>|<phone>|"/msg"|"/min")
sig en_spam.free_offer en_spam 40 "free" ..20 ("entry"|"msg"|"ringtone"|"upgrade"|"gift"|"trial"|"delivery"|"text"|"minutes"|"mins"|"texts")
sig en_spam.subscription en_spam 45 ("subscription"|"subscriber"|"subscribed"|"weekly"|"per week"|"per wk"|"/wk") ..40 (<amount>|"p/msg"|"/msg"|"txt"|"stop"|"charged")
sig en_spam.offer en_spam 35 ("offer"|"discount"|"sale"|"deal"|"% off"|"half price") ..40 ("call"|"txt"|"text"|"reply"|"visit"|<url>|<phone>)
sig en_spam.upgrade en_spam 45 ("upgrade"|"line rental"|"anytime"|"any network"|"camcorder"|"mins") ..40 ("free"|"half price"|"call"|"txt"|"delivery"|"orange"|"o2"|"vodafone"|"t-mobile")
sig en_spam.network_promo en_spam 40 ("orange"|"vodafone"|"o2"|"t-mobile"|"three") ..20 ("customer"|"offer"|"upgrade"|"tariff")

# 2026.11.23-3: generic mechanics moved here from en_prize and en_phishing (ids
# renamed en_prize.X / en_phishing.X -> en_spam.X, patterns unchanged).  Added in
# 2026.11.23-1 (and some in 2026.11.22-2) as weak scam elements, but noisy-OR let
# three of them alone reach 60: "Dear customer, new offers at <url>. Txt STOP
# to opt out" was a scam verdict (31 of 42 legitimate marketing and service
# texts in tests/data/sig/en-marketing.tsv).  Marketing is monitor-only, so
# they now only describe the marketing form; scam verdicts need a lure
# (docs/sms-measurements.md, "Changes in 2026.11.23-3").

# Premium-rate and content-service mechanics: prices, footers, shortcodes,
# clubs.  Legitimate content stores and retailers use every one of them.
sig en_spam.cost_unit en_spam 40 (<amount>|<number>|"p") ..3 ("/wk"|"/week"|"per week"|"per wk"|"pw"|"/msg"|"per msg"|"/min"|"ppm"|"/day"|"per day"|"/mth"|"/month"|"msg"|"pmin"|"pmsg"|"p/m")
sig en_spam.premium_rate en_spam 30 ("/msg"|"p/msg"|"per msg"|"pmsg"|"p/min"|"/min"|"per min"|"ppm"|"p per"|"msg/rcvd"|"rcvd"|"callcost"|"call cost"|"calls cost"|"/minute"|"per minute")
sig en_spam.cost_per en_spam 35 ("cost"|"costs"|"charged"|"chg"|"chgs"|"charge") ..20 ("/day"|"/msg"|"per day"|"/wk"|"per week"|"p/"|"per msg"|"/min"|"per min"|"pmsg"|"ppm")
sig en_spam.call_charges en_spam 40 ("national rate"|"standard rate"|"std rate"|"network charges"|"network operator"|"call charge"|"calls cost"|"min from"|"mins from"|"from land lines")
sig en_spam.tcs en_spam 30 ("t&c"|"t&cs"|"ts&cs"|"tscs"|"t & c"|"tc's"|"18+"|"16+"|"over 18")
sig en_spam.age_16 en_spam 35 ("16+"|"18+"|"over 16"|"over 18"|"16 only"|"18 only"|"sub 16"|"age 16"|"age 18")
sig en_spam.po_box en_spam 30 ("po box"|"pobox"|"p.o. box"|"po.box"|"box") ..30 (<number>|"ldn"|"london"|"w1"|"wc"|"ec")
sig en_spam.hl_address en_spam 35 ("po box"|"pobox"|"box") ..6 <number>
sig en_spam.landline en_spam 40 ("from a landline"|"from landline"|"landline only"|"from your landline"|"from ur landline")
sig en_spam.send_word_to en_spam 40 ("send"|"txt"|"text"|"reply") ..3 ("go"|"win"|"yes"|"stop"|"play"|"join"|"music"|"tone"|"chat"|"date"|"cash"|"word"|"now"|"entry"|"real"|"poly"|"xmas"|"free"|"info"|"on"|"ok") ..6 ("to"|"2"|"on") ..2 <number>
sig en_spam.shortcode_now en_spam 35 ("now"|"today"|"asap") ..6 ("txt"|"text"|"call"|"reply"|"send") ..20 (<number>|<phone>)
sig en_spam.ringtone_club en_spam 40 ("ringtone"|"ring tone"|"polyphonic"|"real tone"|"realtone"|"tones"|"polys"|"wallpaper"|"java game"|"mobile game"|"logo") ..40 ("txt"|"text"|"reply"|"send"|<number>|"/msg"|"club"|"free"|"/wk")
sig en_spam.mobile_club en_spam 40 ("club"|"mobileclub"|"membership") ..20 ("txt"|"stop"|"/wk"|<amount>|"credit")
sig en_spam.content_service en_spam 35 ("video"|"videos"|"games"|"game"|"pics"|"pic"|"wallpapers"|"mp3"|"music"|"logos"|"tones") ..30 ("txt"|"text"|"reply"|"send"|"download"|"click") ..30 (<number>|<url>)
sig en_spam.wap_link en_spam 40 ("wap link"|"wap."|"mob content"|"click the link"|"click link"|"wap site")
sig en_spam.sms_credits en_spam 40 ("sms services"|"sms service"|"inclusive text credits"|"text credits"|"your credits"|"credit"|"points") ..30 ("wap"|"click"|"link"|"redeem"|"txt"|"stop")
sig en_spam.freemsg en_spam 45 ("freemsg"|"free msg"|"free message"|"free txt"|"freetxt")
# A dating / chat-line advert; the lure is "someone has contacted our dating
# service" (en_prize.being_contacted), which stays a scam element.
sig en_spam.dating_service en_spam 50 ("dating service"|"date service"|"dating line"|"matchmaking"|"chat service"|"chat line"|"chatline") ..60 (<phone>|<number>|"txt"|"call"|"reply")
sig en_spam.chat_line en_spam 40 ("chat"|"dating"|"singles"|"horny"|"sexy"|"naughty"|"flirt"|"lonely"|"hot girls"|"babes"|"adult") ..40 (<phone>|"/min"|"/msg"|"p/min"|"ppm"|"per min")

# Operator and retail offers: handsets, upgrades, minutes, holidays, loans.
sig en_spam.free_phone en_spam 50 ("free"|"latest"|"new") ..30 ("nokia"|"motorola"|"sony"|"samsung"|"iphone"|"camera phone"|"video phone"|"colour phone"|"mobile") ..60 ("call"|"txt"|"text"|"reply"|<phone>|<number>|"delivery")
sig en_spam.handset_upgrade en_spam 40 ("upgrade"|"latest"|"new"|"free") ..30 ("camera phone"|"video phone"|"colour phone"|"motorola"|"nokia"|"sony ericsson"|"handset"|"samsung"|"blackberry"|"mobile phone"|"camcorder") ..40 ("free"|"call"|"txt"|"text"|<phone>|"delivery"|"reply")
sig en_spam.entitled_update en_spam 45 ("entitled to"|"eligible for"|"qualify for"|"r entitled"|"are entitled") ..30 ("update"|"upgrade"|"new phone"|"latest"|"camera phone"|"free"|"colour")
sig en_spam.mobile_months en_spam 45 ("had your mobile"|"had your phone"|"had ur mobile"|"your contract"|"ur contract") ..40 ("months"|"upgrade"|"entitled"|"update")
sig en_spam.mins_texts en_spam 40 ("anytime mins"|"free mins"|"free minutes"|"any network mins"|"free texts"|"free txts"|"line rental"|"half price") ..40 ("free"|"call"|"txt"|<phone>|"reply"|"delivery")
sig en_spam.holiday_value en_spam 45 ("holiday"|"holidays"|"city break"|"cruise"|"break for 2"|"weekend break") ..40 (<amount>|"free"|"worth"|"award"|"voucher")
sig en_spam.loan_call en_spam 45 ("loan"|"loans"|"bad credit"|"ccj"|"cash advance"|"payday") ..40 ("call"|"txt"|"text"|"reply"|<phone>|<number>|"apply")

# Bulk-sender mechanics (service notices use them as much as marketing):
# salutations, "click <url>", "your account", call-back numbers, "offer ends
# today".
sig en_spam.dear_customer en_spam 35 ("dear customer"|"dear user"|"dear subscriber"|"dear member"|"dear valued"|"dear client"|"dear account holder"|"dear winner"|"dear voucher holder"|"dear mobile"|"dear card holder"|"dear cardholder"|"dear sir/madam")
sig en_spam.click_url en_spam 35 ("click"|"visit"|"go to"|"log on"|"log in"|"login"|"tap"|"follow") ..20 <url>
sig en_spam.your_account en_spam 30 ("your account"|"ur account"|"your a/c"|"your card"|"your bank"|"your acct"|"your debit card"|"your credit card")
sig en_spam.cust_care_call en_spam 45 ("customer care"|"customer service"|"customer services"|"customer support"|"claims line"|"cust care") ..30 (<phone>|<number>|"call"|"contact")
sig en_spam.please_call_number en_spam 40 "please call" ..20 (<phone>|<number>)
sig en_spam.call_now en_spam 40 ("call"|"ring"|"dial") ..12 ("now"|"today"|"free"|"freephone"|"immediately"|"asap") ..20 <phone>
sig en_spam.free_call_number en_spam 40 "free" ..30 ("txt"|"text"|"reply"|"call"|"send"|"dial") ..30 (<number>|<phone>)
sig en_spam.freephone en_spam 40 ("freephone"|"freefone"|"toll free"|"toll-free") ..20 (<phone>|<number>)
sig en_spam.amount_call en_spam 45 <amount> ..40 ("call"|"txt"|"text"|"claim"|"dial") ..20 (<number>|<phone>|"now")
sig en_spam.valid_today en_spam 30 ("valid"|"offer ends"|"expires") ..20 ("today"|"tonight"|"hrs"|"hours"|"12hrs"|"24hrs"|"48hrs")
sig en_spam.valid_hours en_spam 35 ("valid"|"expires"|"expire") ..10 ("hrs"|"hours"|"hr only"|"12h"|"48h")
