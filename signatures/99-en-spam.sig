# English marketing spam: premium subscriptions, ringtones, chat / dating
# lines, unsubscribe footers, generic offers.
sig en_spam.stop en_spam 50 ("txt stop"|"text stop"|"reply stop"|"send stop"|"stop to"|"to opt out"|"to optout"|"unsubscribe"|"stop2end"|"stop 2 end"|"to stop"|"end txt"|"txt end"|"opt out")
sig en_spam.ringtone en_spam 55 ("ringtone"|"ring tone"|"wallpaper"|"polyphonic"|"real tone"|"mobile game"|"java game")
sig en_spam.chat en_spam 50 ("chat"|"dating"|"date"|"singles"|"horny"|"sexy"|"adult"|"xxx"|"hot girls"|"naughty") ..40 ("txt"|"text"|"call"|"reply"|<number>|<phone>|"/msg"|"/min")
sig en_spam.free_offer en_spam 40 "free" ..20 ("entry"|"msg"|"ringtone"|"upgrade"|"gift"|"trial"|"delivery"|"text"|"minutes"|"mins"|"texts")
sig en_spam.subscription en_spam 45 ("subscription"|"subscriber"|"subscribed"|"weekly"|"per week"|"per wk"|"/wk") ..40 (<amount>|"p/msg"|"/msg"|"txt"|"stop"|"charged")
sig en_spam.offer en_spam 35 ("offer"|"discount"|"sale"|"deal"|"% off"|"half price") ..40 ("call"|"txt"|"text"|"reply"|"visit"|<url>|<phone>)
sig en_spam.upgrade en_spam 45 ("upgrade"|"line rental"|"anytime"|"any network"|"camcorder"|"mins") ..40 ("free"|"half price"|"call"|"txt"|"delivery"|"orange"|"o2"|"vodafone"|"t-mobile")
sig en_spam.network_promo en_spam 40 ("orange"|"vodafone"|"o2"|"t-mobile"|"three") ..20 ("customer"|"offer"|"upgrade"|"tariff")
