# English prize and premium-rate lures (the classic UK/SG form): "your
# mobile number has won a guaranteed cash prize; to claim call <number>",
# "you have been selected for a holiday / bonus draw", "valid 12hrs".  The
# victim pays premium-rate call or text charges, or a release fee.
sig en_prize.won en_prize 50 ("you have won"|"you've won"|"u have won"|"you won a"|"you won the"|"you won our"|"you won cash"|"you won!"|"u've won"|"u won a"|"u won the"|"u won!"|"you are a winner"|"u are a winner"|"you have been selected"|"u have been selected"|"you've been selected"|"has won"|"have been awarded"|"has been awarded"|"you are awarded"|"u r awarded"|"you are entitled"|"is our winner"|"are the winner"|"been chosen")
sig en_prize.won_amount en_prize 55 ("you won"|"u won"|"you've won"|"you have won"|"u have won") ..3 <amount>
sig en_prize.won_prize_claim en_prize 65 ("you have won"|"you've won"|"u have won"|"you won a"|"you won the"|"you won our"|"you won cash"|"you won!"|"u've won"|"u won a"|"u won the"|"u won!"|"you are a winner"|"u are a winner"|"you have been selected"|"u have been selected"|"you've been selected"|"has won"|"have been awarded"|"has been awarded"|"you are awarded"|"u r awarded"|"you are entitled"|"is our winner"|"are the winner"|"been chosen"|"won"|"winner"|"awarded"|"selected"|"chosen") ..40 (<amount>|"cash"|"prize"|"holiday"|"voucher"|"bonus"|"reward"|"award"|"nokia"|"ipod"|"camera"|"phone"|"gift"|"tickets"|"cruise"|"shopping spree"|"pounds"|"txt") ..60 ("call"|"claim"|"txt"|"text"|"reply"|"send"|"collect"|"dial"|"ring"|<phone>|<number>)
sig en_prize.claim_prize en_prize 50 ("claim"|"collect"|"2 claim"|"to redeem") ..30 ("prize"|"reward"|"cash"|<amount>|"voucher"|"bonus"|"award"|"holiday"|"gift")
sig en_prize.guaranteed en_prize 55 ("guaranteed"|"guaranteed!") ..30 (<amount>|"cash"|"prize"|"award"|"reward"|"holiday"|"gift"|"bonus")
sig en_prize.urgent_prize en_prize 45 ("urgent"|"important"|"final notice"|"final attempt"|"last chance"|"2nd attempt"|"second attempt") ..60 ("prize"|"won"|"award"|"cash"|"claim"|"winner"|"draw")
sig en_prize.to_claim_call en_prize 55 ("to claim"|"2 claim"|"to collect"|"2 collect"|"to receive"|"2 receive"|"claim code"|"claim now") ..40 ("call"|"txt"|"text"|"reply"|"send"|<phone>|<number>|"dial")
sig en_prize.valid_hours en_prize 35 ("valid"|"expires"|"expire") ..10 ("hrs"|"hours"|"hr only"|"12h"|"48h")
sig en_prize.draw en_prize 45 ("draw"|"prize draw"|"bonus draw"|"lucky draw"|"sweepstake"|"lottery"|"jackpot") ..40 ("won"|"winner"|"selected"|"shows"|"claim"|"chosen"|"awarded")
sig en_prize.po_box en_prize 30 ("po box"|"pobox"|"p.o. box"|"po.box"|"box") ..30 (<number>|"ldn"|"london"|"w1"|"wc"|"ec")
sig en_prize.your_number_won en_prize 65 ("your mobile"|"your number"|"your landline"|"ur mobile"|"ur number"|"mobile number"|"your phone number"|"ur phone") ..30 ("won"|"selected"|"awarded"|"claim"|"chosen"|"winner"|"entitled")
sig en_prize.premium_rate en_prize 30 ("/msg"|"p/msg"|"per msg"|"pmsg"|"p/min"|"/min"|"per min"|"ppm"|"p per"|"msg/rcvd"|"rcvd"|"callcost"|"call cost"|"calls cost"|"/minute"|"per minute")
sig en_prize.premium_prize en_prize 60 (<amount>|"cash"|"prize"|"holiday"|"voucher"|"bonus"|"reward"|"award"|"nokia"|"ipod"|"camera"|"phone"|"gift"|"tickets"|"cruise"|"shopping spree"|"pounds"|"txt"|"won"|"winner") ..60 ("/msg"|"p/msg"|"per msg"|"p/min"|"/min"|"ppm"|"msg/rcvd"|"rcvd"|"callcost"|"call cost"|"per minute")
sig en_prize.cust_care_won en_prize 55 ("customer service"|"customer care"|"cust care"|"custcare"|"claims line"|"prize line") ..60 ("won"|"prize"|"award"|"claim"|<amount>)
sig en_prize.holiday en_prize 50 ("holiday"|"cruise"|"trip to"|"flights") ..30 ("won"|"awarded"|"selected"|"free"|"claim"|"winner") ..60 ("call"|"txt"|"text"|"reply"|<phone>|<number>)
sig en_prize.free_phone en_prize 50 ("free"|"latest"|"new") ..30 ("nokia"|"motorola"|"sony"|"samsung"|"iphone"|"camera phone"|"video phone"|"colour phone"|"mobile") ..60 ("call"|"txt"|"text"|"reply"|<phone>|<number>|"delivery")
sig en_prize.cash_balance en_prize 50 ("cash-balance"|"cash balance"|"ur balance"|"your balance"|"ur cash"|"credits") ..30 (<amount>|"pounds"|"cash"|"currently"|"maximize"|"maximise")
sig en_prize.bonus_caller en_prize 50 ("bonus caller"|"caller prize"|"lucky caller"|"valued customer"|"valued subscriber"|"dear customer"|"dear winner") ..60 (<amount>|"prize"|"won"|"claim"|"reward"|"call")
sig en_prize.spree en_prize 40 ("shopping spree"|"gift voucher"|"gift card"|"store credit"|"tesco"|"walmart"|"costco") ..60 ("won"|"claim"|"winner"|"selected"|<url>)
sig en_prize.reply_win en_prize 45 ("reply"|"txt"|"text"|"send") ..20 ("win"|"claim"|"yes"|"prize"|"go"|"now") ..20 ("to"|"2") ..4 (<number>|<phone>)
sig en_prize.quiz en_prize 40 ("quiz"|"question"|"trivia"|"answer") ..60 ("win"|"prize"|<amount>|"cash")
sig en_prize.congrats en_prize 45 ("congratulations"|"congrats"|"congratulation") ..60 ("won"|"winner"|"selected"|"prize"|"awarded"|"reward"|"claim"|<amount>)

# Further premium-rate prize markers: prizes "awaiting collection",
# "un-redeemed" points or bonuses, claim / identifier codes, T&C and age
# footers of premium services (weak alone).
sig en_prize.await_collection en_prize 55 ("await collection"|"awaiting collection"|"awaiting delivery"|"is waiting to be collected"|"waiting for you to claim")
sig en_prize.unredeemed en_prize 55 ("unredeemed"|"un-redeemed"|"unclaimed") ..30 ("points"|"bonus"|"prize"|"cash"|"reward")
sig en_prize.statement_points en_prize 50 ("account statement"|"statement shows"|"statement for") ..40 ("points"|"bonus"|"prize"|"claim"|"redeem")
sig en_prize.claim_code en_prize 45 ("identifier code"|"claim code"|"prize code"|"bonus code"|"winning code"|"ref no"|"quote code")
sig en_prize.tcs en_prize 30 ("t&c"|"t&cs"|"ts&cs"|"tscs"|"t & c"|"tc's"|"18+"|"16+"|"over 18")
sig en_prize.receive_call en_prize 45 ("receive"|"get"|"collect") ..30 (<amount>|"cash"|"prize"|"reward"|"bonus") ..40 ("call"|"txt"|"text"|"reply"|<phone>|<number>)
sig en_prize.seasonal en_prize 35 ("xmas"|"valentine"|"christmas"|"new year"|"easter"|"summer") ..40 ("win"|"prize"|"reward"|"free"|"claim") ..40 ("call"|"txt"|"text"|"reply"|<number>|<phone>)
sig en_prize.amount_call en_prize 45 <amount> ..40 ("call"|"txt"|"text"|"claim"|"dial") ..20 (<number>|<phone>|"now")

# The premium-rate mechanism itself: "txt WORD to <shortcode>", a cost per
# message / day / week, "chances to win", "you are entitled to a free
# upgrade" cold-sells of phone contracts.  Weak alone; two together, or one
# with a prize element, reach the threshold.
# 40 (was 35): the shortcode is the premium-rate channel; with any second element it blocks.
sig en_prize.txt_to_shortcode en_prize 40 ("txt"|"text"|"send"|"reply"|"sms") ..25 "to" ..3 <number>
sig en_prize.cost_per en_prize 35 ("cost"|"costs"|"charged"|"chg"|"chgs"|"charge") ..20 ("/day"|"/msg"|"per day"|"/wk"|"per week"|"p/"|"per msg"|"/min"|"per min"|"pmsg"|"ppm")
sig en_prize.chances_win en_prize 40 ("chance to win"|"chances to win"|"chance 2 win"|"to win a"|"2 win a"|"could win"|"u could win"|"win a brand new"|"and win"|"entry to win"|"entered to win")
sig en_prize.entitled_update en_prize 45 ("entitled to"|"eligible for"|"qualify for"|"r entitled"|"are entitled") ..30 ("update"|"upgrade"|"new phone"|"latest"|"camera phone"|"free"|"colour")
sig en_prize.mobile_months en_prize 45 ("had your mobile"|"had your phone"|"had ur mobile"|"your contract"|"ur contract") ..40 ("months"|"upgrade"|"entitled"|"update")

# The call-back half of a prize or premium-rate lure: "please call customer care
# on <number>", "URGENT ... call <number>", "call immediately". Each is a lure
# element (35-45) that blocks only with a prize, claim or premium-rate element.
sig en_prize.cust_care_call en_prize 45 ("customer care"|"customer service"|"customer services"|"customer support"|"claims line"|"cust care") ..30 (<phone>|<number>|"call"|"contact")
sig en_prize.please_call_number en_prize 40 "please call" ..20 (<phone>|<number>)
sig en_prize.urgent_call en_prize 40 "urgent" ..60 ("call"|"contact"|<phone>|<number>)
sig en_prize.call_immediately en_prize 35 ("call"|"contact") ..40 ("immediately"|"urgently")
# "call <number>" in a cold message is the premium-rate call-back itself; "you
# are selected / lucky / entitled" the hook; "valid today / 12hrs" the pressure.
# 35 (was 30): with "you are selected" or a salutation (40 / 35) it reaches 60.
sig en_prize.call_number en_prize 35 ("call"|"ring"|"dial") ..3 <phone>
sig en_prize.you_selected en_prize 40 ("you are"|"u r"|"you r"|"ur"|"you have been"|"u have been") ..10 ("selected"|"chosen"|"lucky"|"winner"|"entitled"|"eligible")
sig en_prize.valid_today en_prize 30 ("valid"|"offer ends"|"expires") ..20 ("today"|"tonight"|"hrs"|"hours"|"12hrs"|"24hrs"|"48hrs")

# 2026.11.23-1: the 2000s UK premium-rate SMS trade, from domain knowledge of
# its lure types (the regulator's case lists of the time): "secret admirer" /
# "someone fancies you, find out who: call 09..." dating-line bait, "FreeMsg"
# openers, cost units (150p/msg, £3/wk, 10p/min, national rate), ringtone /
# logo / video "clubs", chat and dating lines, "we tried to contact you",
# voicemail / announcement call-backs, free-handset and free-minutes
# cold-sells with a call-back number, PO box and age footers, "send WORD to
# <shortcode>", "call from a landline", operator-branded awards, holiday and
# voucher values, free entry into weekly competitions. Each is one element of
# 30-50: the premium-rate mechanism (a shortcode or 09 number, a cost, a
# subscription) with a hook. One alone never blocks; ham that quotes one of
# them stays below 60 (nus-sms-en, uci and mishra ham: no new verdict).
sig en_prize.secret_admirer en_prize 60 ("secret admirer"|"someone fancies you"|"someone fancies u"|"somebody fancies you"|"someone likes you"|"someone likes u"|"who fancies you"|"who fancies u"|"thinks ur so special"|"thinks you are special"|"thinks u r special")
sig en_prize.find_out_who en_prize 45 ("find out who"|"reveal who"|"find out who it is"|"who it is") ..60 ("call"|"txt"|"text"|"reply"|<phone>|<number>)
sig en_prize.freemsg en_prize 45 ("freemsg"|"free msg"|"free message"|"free txt"|"freetxt")
sig en_prize.cost_unit en_prize 40 (<amount>|<number>|"p") ..3 ("/wk"|"/week"|"per week"|"per wk"|"pw"|"/msg"|"per msg"|"/min"|"ppm"|"/day"|"per day"|"/mth"|"/month"|"msg"|"pmin"|"pmsg"|"p/m")
sig en_prize.voicemail en_prize 45 ("voicemail"|"voice message"|"new message waiting"|"messages waiting"|"important message"|"announcement"|"important information"|"important notice") ..40 ("call"|"dial"|<phone>)
sig en_prize.ringtone_club en_prize 40 ("ringtone"|"ring tone"|"polyphonic"|"real tone"|"realtone"|"tones"|"polys"|"wallpaper"|"java game"|"mobile game"|"logo") ..40 ("txt"|"text"|"reply"|"send"|<number>|"/msg"|"club"|"free"|"/wk")
sig en_prize.chat_line en_prize 40 ("chat"|"dating"|"singles"|"horny"|"sexy"|"naughty"|"flirt"|"lonely"|"hot girls"|"babes"|"adult") ..40 (<phone>|"/min"|"/msg"|"p/min"|"ppm"|"per min")
sig en_prize.stop_footer en_prize 30 ("txt stop"|"text stop"|"reply stop"|"send stop"|"stop to"|"stop2"|"2stop"|"to opt out"|"optout"|"unsubscribe"|"to stop"|"sms stop"|"stop sms"|"stop txt"|"txtstop"|"end txt"|"txt end")
sig en_prize.free_call_number en_prize 40 "free" ..30 ("txt"|"text"|"reply"|"call"|"send"|"dial") ..30 (<number>|<phone>)
sig en_prize.handset_upgrade en_prize 40 ("upgrade"|"latest"|"new"|"free") ..30 ("camera phone"|"video phone"|"colour phone"|"motorola"|"nokia"|"sony ericsson"|"handset"|"samsung"|"blackberry"|"mobile phone"|"camcorder") ..40 ("free"|"call"|"txt"|"text"|<phone>|"delivery"|"reply")
sig en_prize.mins_texts en_prize 40 ("anytime mins"|"free mins"|"free minutes"|"any network mins"|"free texts"|"free txts"|"line rental"|"half price") ..40 ("free"|"call"|"txt"|<phone>|"reply"|"delivery")
sig en_prize.trying_contact en_prize 45 ("trying to contact"|"trying 2 contact"|"tried to contact"|"attempted to contact"|"attempt to contact"|"trying to reach"|"have been trying")
sig en_prize.dating_service en_prize 50 ("dating service"|"date service"|"dating line"|"matchmaking"|"chat service"|"chat line"|"chatline") ..60 (<phone>|<number>|"txt"|"call"|"reply")
sig en_prize.sms_credits en_prize 40 ("sms services"|"sms service"|"inclusive text credits"|"text credits"|"your credits"|"credit"|"points") ..30 ("wap"|"click"|"link"|"redeem"|"txt"|"stop")
sig en_prize.debt_writeoff en_prize 50 ("debt"|"debts") ..40 ("write off"|"written off"|"wiped"|"government"|"scheme"|"iva"|"free advice"|"call"|<phone>)
sig en_prize.shortcode_now en_prize 35 ("now"|"today"|"asap") ..6 ("txt"|"text"|"call"|"reply"|"send") ..20 (<number>|<phone>)
sig en_prize.wap_link en_prize 40 ("wap link"|"wap."|"mob content"|"click the link"|"click link"|"wap site") 
sig en_prize.hl_address en_prize 35 ("po box"|"pobox"|"box") ..6 <number>
sig en_prize.send_word_to en_prize 40 ("send"|"txt"|"text"|"reply") ..3 ("go"|"win"|"yes"|"stop"|"play"|"join"|"music"|"tone"|"chat"|"date"|"cash"|"word"|"now"|"entry"|"real"|"poly"|"xmas"|"free"|"info"|"on"|"ok") ..6 ("to"|"2"|"on") ..2 <number>
sig en_prize.age_16 en_prize 35 ("16+"|"18+"|"over 16"|"over 18"|"16 only"|"18 only"|"sub 16"|"age 16"|"age 18")
sig en_prize.gift_voucher_call en_prize 45 ("voucher"|"vouchers"|"gift"|"reward"|"bonus") ..40 ("call"|"txt"|"text"|"claim"|"reply") ..20 (<phone>|<number>)
sig en_prize.loan_call en_prize 45 ("loan"|"loans"|"bad credit"|"ccj"|"cash advance"|"payday") ..40 ("call"|"txt"|"text"|"reply"|<phone>|<number>|"apply")
sig en_prize.landline en_prize 40 ("from a landline"|"from landline"|"landline only"|"from your landline"|"from ur landline")
sig en_prize.free_entry en_prize 50 ("free entry"|"entry into our"|"weekly comp"|"weekly competition"|"wkly comp"|"competition"|"comp to win") ..40 ("win"|"txt"|"text"|<number>)
sig en_prize.mobile_club en_prize 40 ("club"|"mobileclub"|"membership") ..20 ("txt"|"stop"|"/wk"|<amount>|"credit")
sig en_prize.operator_award en_prize 50 ("orange"|"vodafone"|"voda"|"o2"|"t-mobile"|"virgin"|"network") ..30 ("customer"|"user"|"subscriber"|"numbers"|"number") ..40 ("selected"|"award"|"prize"|"won"|"bonus"|"claim"|"entitled")
sig en_prize.call_charges en_prize 40 ("national rate"|"standard rate"|"std rate"|"network charges"|"network operator"|"call charge"|"calls cost"|"min from"|"mins from"|"from land lines")
sig en_prize.being_contacted en_prize 50 ("being contacted"|"has contacted our"|"contacted our dating"|"wants to contact you"|"wants to meet you"|"wants 2 meet"|"would like to meet you"|"want to meet you"|"looking 2 make contact"|"looking to make contact")
sig en_prize.dear_customer en_prize 35 ("dear customer"|"dear user"|"dear subscriber"|"dear member"|"dear valued"|"dear client"|"dear account holder"|"dear winner"|"dear voucher holder"|"dear mobile"|"dear card holder"|"dear cardholder")
sig en_prize.holiday_value en_prize 45 ("holiday"|"holidays"|"city break"|"cruise"|"break for 2"|"weekend break") ..40 (<amount>|"free"|"worth"|"award"|"voucher")
sig en_prize.call_now en_prize 40 ("call"|"ring"|"dial") ..12 ("now"|"today"|"free"|"freephone"|"immediately"|"asap") ..20 <phone>
sig en_prize.freephone en_prize 40 ("freephone"|"freefone"|"toll free"|"toll-free") ..20 (<phone>|<number>)
sig en_prize.content_service en_prize 35 ("video"|"videos"|"games"|"game"|"pics"|"pic"|"wallpapers"|"mp3"|"music"|"logos"|"tones") ..30 ("txt"|"text"|"reply"|"send"|"download"|"click") ..30 (<number>|<url>)
sig en_prize.click_url en_prize 35 ("click"|"visit"|"go to"|"log on"|"log in"|"login"|"tap"|"follow") ..20 <url>
