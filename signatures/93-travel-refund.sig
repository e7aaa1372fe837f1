# 航班取消 / 退改签: "your flight XX was cancelled due to mechanical
# failure; call <hotline> for rebooking and a compensation of N yuan"; the
# "agent" then collects card details or a "deposit".  Airlines announce
# changes, but never pay compensation through a private number.
sig travel_refund.flight_cancel_contact travel_refund 80 ("航班"|"机票"|"飞机"|"班机"|"客机") ..30 ("取消"|"延误"|"停飞"|"故障"|"晚点"|"无法起飞"|"机械故障"|"天气原因"|"已被取消"|"临时取消") ..60 (<contact>|"致电"|"联系"|"拨打"|"客服")
sig travel_refund.flight_cancel_comp travel_refund 75 ("航班"|"机票"|"飞机"|"班机"|"客机") ..30 ("取消"|"延误"|"停飞"|"故障"|"晚点"|"无法起飞"|"机械故障"|"天气原因"|"已被取消"|"临时取消") ..60 ("理赔"|"补偿"|"赔偿"|"延误金"|"补贴"|<amount>)
sig travel_refund.rebook travel_refund 55 ("航班"|"机票"|"飞机"|"班机"|"客机"|"火车"|"高铁"|"动车"|"车票") ..40 ("改签"|"退票"|"退改") ..40 (<contact>|"致电"|"联系"|"拨打"|"客服"|"手续")
sig travel_refund.flight_word travel_refund 40 ("航班"|"机票"|"飞机"|"班机"|"客机") ..20 ("取消"|"延误"|"停飞"|"故障"|"晚点"|"无法起飞"|"机械故障"|"天气原因"|"已被取消"|"临时取消")
sig travel_refund.delay_insurance travel_refund 60 ("延误险"|"航空险"|"延误金"|"航班延误补偿") ..40 (<contact>|<url>|"领取"|"联系"|"点击")
sig travel_refund.train_stop travel_refund 55 ("火车"|"高铁"|"动车"|"列车"|"车次") ..30 ("停运"|"取消"|"晚点"|"故障") ..40 ("退票"|"改签"|"补偿"|"理赔"|<contact>)
sig travel_refund.ticket_name travel_refund 40 ("尊敬的"|"您好"|"您预订的"|"您购买的") ..20 ("航班"|"机票"|"乘客"|"旅客") ..40 ("取消"|"延误"|"停飞"|"故障"|"晚点"|"无法起飞"|"机械故障"|"天气原因"|"已被取消"|"临时取消")
sig travel_refund.hotel_cancel travel_refund 50 ("酒店"|"民宿"|"订单") ..30 ("取消"|"无法入住"|"房间故障"|"超售") ..40 ("退款"|"补偿"|"赔偿") ..40 (<contact>|"联系"|"客服")

# Per-airline "flight cancelled, contact us for rebooking / compensation".
sig travel_refund.air_mu_cancel travel_refund 70 ("东方航空"|"东航") ..40 ("取消"|"延误"|"停飞"|"故障"|"晚点"|"无法起飞"|"机械故障"|"天气原因"|"已被取消"|"临时取消") ..60 (<contact>|"理赔"|"补偿"|"改签"|"退票"|"联系")
sig travel_refund.air_cz_cancel travel_refund 70 ("南方航空"|"南航") ..40 ("取消"|"延误"|"停飞"|"故障"|"晚点"|"无法起飞"|"机械故障"|"天气原因"|"已被取消"|"临时取消") ..60 (<contact>|"理赔"|"补偿"|"改签"|"退票"|"联系")
sig travel_refund.air_ca_cancel travel_refund 70 ("国航"|"中国国际航空") ..40 ("取消"|"延误"|"停飞"|"故障"|"晚点"|"无法起飞"|"机械故障"|"天气原因"|"已被取消"|"临时取消") ..60 (<contact>|"理赔"|"补偿"|"改签"|"退票"|"联系")
sig travel_refund.air_hu_cancel travel_refund 70 ("海南航空"|"海航") ..40 ("取消"|"延误"|"停飞"|"故障"|"晚点"|"无法起飞"|"机械故障"|"天气原因"|"已被取消"|"临时取消") ..60 (<contact>|"理赔"|"补偿"|"改签"|"退票"|"联系")
sig travel_refund.air_3u_cancel travel_refund 70 ("四川航空"|"川航") ..40 ("取消"|"延误"|"停飞"|"故障"|"晚点"|"无法起飞"|"机械故障"|"天气原因"|"已被取消"|"临时取消") ..60 (<contact>|"理赔"|"补偿"|"改签"|"退票"|"联系")
sig travel_refund.air_mf_cancel travel_refund 70 ("厦门航空"|"厦航") ..40 ("取消"|"延误"|"停飞"|"故障"|"晚点"|"无法起飞"|"机械故障"|"天气原因"|"已被取消"|"临时取消") ..60 (<contact>|"理赔"|"补偿"|"改签"|"退票"|"联系")
sig travel_refund.air_zh_cancel travel_refund 70 ("深圳航空"|"深航") ..40 ("取消"|"延误"|"停飞"|"故障"|"晚点"|"无法起飞"|"机械故障"|"天气原因"|"已被取消"|"临时取消") ..60 (<contact>|"理赔"|"补偿"|"改签"|"退票"|"联系")
sig travel_refund.air_9c_cancel travel_refund 70 "春秋航空" ..40 ("取消"|"延误"|"停飞"|"故障"|"晚点"|"无法起飞"|"机械故障"|"天气原因"|"已被取消"|"临时取消") ..60 (<contact>|"理赔"|"补偿"|"改签"|"退票"|"联系")
sig travel_refund.air_ho_cancel travel_refund 70 "吉祥航空" ..40 ("取消"|"延误"|"停飞"|"故障"|"晚点"|"无法起飞"|"机械故障"|"天气原因"|"已被取消"|"临时取消") ..60 (<contact>|"理赔"|"补偿"|"改签"|"退票"|"联系")
sig travel_refund.air_sc_cancel travel_refund 70 ("山东航空"|"山航") ..40 ("取消"|"延误"|"停飞"|"故障"|"晚点"|"无法起飞"|"机械故障"|"天气原因"|"已被取消"|"临时取消") ..60 (<contact>|"理赔"|"补偿"|"改签"|"退票"|"联系")
sig travel_refund.air_fm_cancel travel_refund 70 "上海航空" ..40 ("取消"|"延误"|"停飞"|"故障"|"晚点"|"无法起飞"|"机械故障"|"天气原因"|"已被取消"|"临时取消") ..60 (<contact>|"理赔"|"补偿"|"改签"|"退票"|"联系")
sig travel_refund.air_gs_cancel travel_refund 70 "天津航空" ..40 ("取消"|"延误"|"停飞"|"故障"|"晚点"|"无法起飞"|"机械故障"|"天气原因"|"已被取消"|"临时取消") ..60 (<contact>|"理赔"|"补偿"|"改签"|"退票"|"联系")
