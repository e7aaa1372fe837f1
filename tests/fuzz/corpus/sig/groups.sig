version 1
category a scam A
sig a.x a 60 ("x" | <contact>) ..60 (("y" .. <url>) | "z") ..0 <number>
sig a.y a 100 "\"q\\" # c
