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
sig en_prize.txt_to_shortcode en_prize 35 ("txt"|"text"|"send"|"reply"|"sms") ..25 "to" ..3 <number>
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
sig en_prize.call_number en_prize 30 ("call"|"ring"|"dial") ..3 <phone>
sig en_prize.you_selected en_prize 40 ("you are"|"u r"|"you r"|"ur"|"you have been"|"u have been") ..10 ("selected"|"chosen"|"lucky"|"winner"|"entitled"|"eligible")
sig en_prize.valid_today en_prize 30 ("valid"|"offer ends"|"expires") ..20 ("today"|"tonight"|"hrs"|"hours"|"12hrs"|"24hrs"|"48hrs")
