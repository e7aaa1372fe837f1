category a scam A
sig a.x a 60 ("x" | 
sig a.x a 60 "y" ..61 "z"
sig a.z b 0 <nope>
version
foo
