category b benign 银行 # c
sig b.x b 5 "您尾号" .. "Ｑ Ｑ" "​"
