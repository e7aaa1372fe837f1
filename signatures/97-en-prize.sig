# English prize and premium-rate lures (the classic UK/SG form): "your
# mobile number has won a guaranteed cash prize; to claim call <number>",
# "you have been selected for a holiday / bonus draw", "valid 12hrs".  The
# victim pays premium-rate call or text charges, or a release fee.
#
# Only lures belong here (2026.11.23-3).  The generic mechanics of bulk SMS
# (prices, PO box / age / T&C / stop footers, salutations, "click <url>",
# handset and minutes offers, ringtone clubs, call-back numbers) are in
# en_spam: legitimate marketing and service notices use them all, and under
# noisy-OR three of them alone made a scam verdict.  Two channel elements
# stay here at 30 (call_number, txt_to_shortcode; both together 51 < 60), so
# a lure of 45 or more plus the premium-rate channel reaches 60, while
# weaker context elements (urgent / call immediately / trying to contact /
# chance to win / you are lucky, 35-40) plus the channel stay below 60.
# 2026.11.23-3: "you have been selected" / "been chosen" without a prize word
# is left to en_prize.you_selected (40): counted twice it made 70, and surveys
# say it ("you have been selected to take part in our survey").
sig en_prize.won en_prize 50 ("you have won"|"you've won"|"u have won"|"you won a"|"you won the"|"you won our"|"you won cash"|"you won!"|"u've won"|"u won a"|"u won the"|"u won!"|"you are a winner"|"u are a winner"|"has won"|"have been awarded"|"has been awarded"|"you are awarded"|"u r awarded"|"is our winner"|"are the winner")
# 2026.11.23-3: a prize in rupees is a prize lure too (en_phishing.rupee_won
# also counts "credited" / "cashback", which bank notices say; this one does not).
sig en_prize.won_rupees en_prize 50 ("won"|"winner"|"prize"|"lucky draw"|"lottery") ..20 ("rs."|"inr"|"₹"|"rupees"|"lakh"|"lakhs"|"crore")
# "you are lucky / chosen / a winner" with a link: the hook and its landing page.
sig en_prize.lucky_link en_prize 60 ("you are"|"u r"|"you r"|"you have been"|"u have been"|"you've been") ..10 ("chosen"|"lucky"|"winner") ..60 (<url>|"click")
sig en_prize.won_amount en_prize 55 ("you won"|"u won"|"you've won"|"you have won"|"u have won") ..3 <amount>
# 2026.11.23-3: "entitled" / "eligible" left out here, in your_number_won and in
# you_selected: "you are entitled to update to the latest camera phone, call
# free" is the handset cold-sell (en_spam.entitled_update), not a prize.
sig en_prize.won_prize_claim en_prize 65 ("you have won"|"you've won"|"u have won"|"you won a"|"you won the"|"you won our"|"you won cash"|"you won!"|"u've won"|"u won a"|"u won the"|"u won!"|"you are a winner"|"u are a winner"|"you have been selected"|"u have been selected"|"you've been selected"|"has won"|"have been awarded"|"has been awarded"|"you are awarded"|"u r awarded"|"is our winner"|"are the winner"|"been chosen"|"won"|"winner"|"awarded"|"selected"|"chosen") ..40 (<amount>|"cash"|"prize"|"holiday"|"voucher"|"bonus"|"reward"|"award"|"nokia"|"ipod"|"camera"|"phone"|"gift"|"tickets"|"cruise"|"shopping spree"|"pounds"|"txt") ..60 ("call"|"claim"|"txt"|"text"|"reply"|"send"|"collect"|"dial"|"ring"|<phone>|<number>)
sig en_prize.claim_prize en_prize 50 ("claim"|"collect"|"2 claim"|"to redeem") ..30 ("prize"|"reward"|"cash"|<amount>|"voucher"|"bonus"|"award"|"holiday"|"gift")
sig en_prize.guaranteed en_prize 55 ("guaranteed"|"guaranteed!") ..30 (<amount>|"cash"|"prize"|"award"|"reward"|"holiday"|"gift"|"bonus"|"rs."|"inr"|"rupees"|"lakh"|"lakhs"|"crore"|"₹")
sig en_prize.urgent_prize en_prize 45 ("urgent"|"important"|"final notice"|"final attempt"|"last chance"|"2nd attempt"|"second attempt") ..60 ("prize"|"won"|"award"|"cash"|"claim"|"winner"|"draw")
# 2026.11.23-3: not "to receive" ("free 2 receive", "text JOIN to receive offers").
sig en_prize.to_claim_call en_prize 55 ("to claim"|"2 claim"|"to collect"|"2 collect"|"claim code"|"claim now") ..40 ("call"|"txt"|"text"|"reply"|"send"|<phone>|<number>|"dial")
sig en_prize.draw en_prize 45 ("draw"|"prize draw"|"bonus draw"|"lucky draw"|"sweepstake"|"lottery"|"jackpot") ..40 ("won"|"winner"|"selected"|"shows"|"claim"|"chosen"|"awarded")
sig en_prize.your_number_won en_prize 65 ("your mobile"|"your number"|"your landline"|"ur mobile"|"ur number"|"mobile number"|"your phone number"|"ur phone") ..30 ("won"|"selected"|"awarded"|"claim"|"chosen"|"winner")
# 2026.11.23-3: a prize word before the premium cost, no longer a price, "txt",
# "phone" or a product (nokia, ipod, tickets, gift, bonus): "Calls £1/min" or
# "txt CHAT .. 150p/msg" alone was 60, i.e. the cost footer of any chat line.
sig en_prize.premium_prize en_prize 60 ("cash"|"prize"|"holiday"|"voucher"|"reward"|"award"|"cruise"|"shopping spree"|"pounds"|"won"|"winner") ..60 ("/msg"|"p/msg"|"per msg"|"p/min"|"/min"|"ppm"|"msg/rcvd"|"rcvd"|"callcost"|"call cost"|"per minute")
sig en_prize.cust_care_won en_prize 55 ("customer service"|"customer care"|"cust care"|"custcare"|"claims line"|"prize line") ..60 ("won"|"prize"|"award"|"claim"|<amount>)
# 2026.11.23-3: no longer "free" (holiday adverts: "free child places").
sig en_prize.holiday en_prize 50 ("holiday"|"cruise"|"trip to"|"flights") ..30 ("won"|"awarded"|"selected"|"claim"|"winner") ..60 ("call"|"txt"|"text"|"reply"|<phone>|<number>)
sig en_prize.cash_balance en_prize 50 ("cash-balance"|"cash balance"|"ur balance"|"your balance"|"ur cash"|"credits") ..30 (<amount>|"pounds"|"cash"|"currently"|"maximize"|"maximise")
# 2026.11.23-3: a bulk salutation ("dear / valued customer") counts only with a
# prize word, not with "call" or a price (service notices and offers).
sig en_prize.bonus_caller en_prize 50 ("bonus caller"|"caller prize"|"lucky caller"|"dear winner") ..60 (<amount>|"prize"|"won"|"claim"|"reward"|"call")
sig en_prize.salutation_prize en_prize 50 ("valued customer"|"valued subscriber"|"dear customer"|"dear subscriber"|"dear user") ..60 ("prize"|"won"|"winner"|"award"|"draw"|"lucky")
sig en_prize.spree en_prize 40 ("shopping spree"|"gift voucher"|"gift card"|"store credit"|"tesco"|"walmart"|"costco") ..60 ("won"|"claim"|"winner"|"selected"|<url>)
sig en_prize.reply_win en_prize 45 ("reply"|"txt"|"text"|"send") ..20 ("win"|"claim"|"prize") ..20 ("to"|"2") ..4 (<number>|<phone>)
sig en_prize.quiz en_prize 40 ("quiz"|"question"|"trivia"|"answer") ..60 ("win"|"prize"|<amount>|"cash")
sig en_prize.congrats en_prize 45 ("congratulations"|"congrats"|"congratulation") ..60 ("won"|"winner"|"selected"|"prize"|"awarded"|"reward"|"claim"|<amount>)

# Further premium-rate prize markers: prizes "awaiting collection",
# "un-redeemed" points or bonuses, claim / identifier codes, T&C and age
# (the T&C and age footers are en_spam since 2026.11.23-3).
sig en_prize.await_collection en_prize 55 ("await collection"|"awaiting collection"|"awaiting delivery"|"is waiting to be collected"|"waiting for you to claim")
sig en_prize.unredeemed en_prize 55 ("unredeemed"|"un-redeemed"|"unclaimed") ..30 ("points"|"bonus"|"prize"|"cash"|"reward")
sig en_prize.statement_points en_prize 50 ("account statement"|"statement shows"|"statement for") ..40 ("points"|"bonus"|"prize"|"claim"|"redeem")
sig en_prize.claim_code en_prize 45 ("identifier code"|"claim code"|"prize code"|"bonus code"|"winning code")
# 2026.11.23-3: no longer a price or "bonus" ("get £50 off / 2GB bonus, call ...").
sig en_prize.receive_call en_prize 45 ("receive"|"get"|"collect") ..30 ("cash"|"prize"|"reward") ..40 ("call"|"txt"|"text"|"reply"|<phone>|<number>)
sig en_prize.seasonal en_prize 35 ("xmas"|"valentine"|"christmas"|"new year"|"easter"|"summer") ..40 ("win"|"prize"|"reward"|"free"|"claim") ..40 ("call"|"txt"|"text"|"reply"|<number>|<phone>)

# The premium-rate channel: "txt WORD to <shortcode>".  30 (was 40 in
# 2026.11.23-1): legitimate marketing says "text STOP to 80000" and "reply YES
# to 40506", so with call_number (30) it may reach only 51; it lifts a lure of
# 45 to 62.  "chances to win" is a weak competition element (40).
sig en_prize.txt_to_shortcode en_prize 30 ("txt"|"text"|"send"|"reply"|"sms") ..25 "to" ..3 <number>
sig en_prize.chances_win en_prize 40 ("chance to win"|"chances to win"|"chance 2 win"|"to win a"|"2 win a"|"could win"|"u could win"|"win a brand new"|"and win"|"entry to win"|"entered to win")

# Pressure around a call-back: "URGENT ... call", "call immediately" (35-40).
# With the channel (30) they stay below 60: banks' fraud alerts say "call us
# immediately on 0800 ...".  "please call <number>" and "customer care .. call"
# are en_spam since 2026.11.23-3.
sig en_prize.urgent_call en_prize 40 "urgent" ..60 ("call"|"contact"|<phone>|<number>)
sig en_prize.call_immediately en_prize 35 ("call"|"contact") ..40 ("immediately"|"urgently")
# "call <phone>" is the premium-rate call-back: the second channel element,
# 30 (35 in 2026.11.23-1, when a salutation with it reached 60).  "you are
# selected / lucky" is a weak hook (40).
sig en_prize.call_number en_prize 30 ("call"|"ring"|"dial") ..3 <phone>
sig en_prize.you_selected en_prize 40 ("you are"|"u r"|"you r"|"ur"|"you have been"|"u have been") ..10 ("selected"|"chosen"|"lucky"|"winner")

# 2026.11.23-1: the 2000s UK premium-rate SMS trade, from domain knowledge of
# its lure types (the regulator's case lists of the time): "secret admirer" /
# "someone fancies you, find out who: call 09..." dating-line bait, "FreeMsg"
# openers, cost units (150p/msg, £3/wk, 10p/min, national rate), ringtone /
# logo / video "clubs", chat and dating lines, "we tried to contact you",
# voicemail / announcement call-backs, free-handset and free-minutes
# cold-sells with a call-back number, PO box and age footers, "send WORD to
# <shortcode>", "call from a landline", operator-branded awards, holiday and
# voucher values, free entry into weekly competitions. Each is one element of
# 30-50 with a hook.  2026.11.23-3: what was only the mechanism (cost units,
# clubs, footers, PO boxes, landline, handset and minutes offers, holiday
# values, salutations, click <url>, FreeMsg, chat lines) moved to en_spam;
# what stays is the lure: secret admirer, find out who, someone contacted
# our dating service, we tried to contact you, voicemail call-back, operator
# award, free entry competition, debt write-off, vouchers to claim.
sig en_prize.secret_admirer en_prize 60 ("secret admirer"|"someone fancies you"|"someone fancies u"|"somebody fancies you"|"someone likes you"|"someone likes u"|"who fancies you"|"who fancies u"|"thinks ur so special"|"thinks you are special"|"thinks u r special")
sig en_prize.find_out_who en_prize 45 ("find out who"|"reveal who"|"find out who it is"|"who it is") ..60 ("call"|"txt"|"text"|"reply"|<phone>|<number>)
sig en_prize.voicemail en_prize 45 ("voicemail"|"voice message"|"new message waiting"|"messages waiting"|"important message"|"announcement"|"important information"|"important notice") ..40 ("call"|"dial"|<phone>)
# 40 (was 45): surgeries and collectors also "have been trying to contact you, please call".
sig en_prize.trying_contact en_prize 40 ("trying to contact"|"trying 2 contact"|"tried to contact"|"attempted to contact"|"attempt to contact"|"trying to reach"|"have been trying")
sig en_prize.debt_writeoff en_prize 50 ("debt"|"debts") ..40 ("write off"|"written off"|"wiped"|"government"|"scheme"|"iva"|"free advice"|"call"|<phone>)
# 2026.11.23-3: the verb is call / claim (not "text STOP to"), not "gift" or "bonus".
sig en_prize.gift_voucher_call en_prize 45 ("voucher"|"vouchers"|"reward"|"prize") ..40 ("call"|"claim") ..20 (<phone>|<number>)
sig en_prize.free_entry en_prize 50 ("free entry"|"entry into our"|"weekly comp"|"weekly competition"|"wkly comp"|"competition"|"comp to win") ..40 ("win"|"txt"|"text"|<number>)
# 2026.11.23-3: an award, not "bonus" / "claim" / "entitled" (the operators' own offers).
sig en_prize.operator_award en_prize 50 ("orange"|"vodafone"|"voda"|"o2"|"t-mobile"|"virgin"|"network") ..30 ("customer"|"user"|"subscriber"|"numbers"|"number") ..40 ("selected"|"award"|"prize"|"won")
sig en_prize.being_contacted en_prize 50 ("being contacted"|"has contacted our"|"contacted our dating"|"wants to contact you"|"wants to meet you"|"wants 2 meet"|"would like to meet you"|"want to meet you"|"looking 2 make contact"|"looking to make contact")
