/**
 * The deny-list: passwords that appear at the top of every published breach list, and
 * obvious words for this service, written lower-case without spaces. Checked after folding
 * case and spaces, and again with trailing digits and punctuation removed.
 */
const WORDS = `
password passw0rd p@ssword p@ssw0rd password1 password123 passwordpassword
123456 1234567 12345678 123456789 1234567890 12345678910 123123 111111 000000 654321 666666 121212
qwerty qwertyuiop qwerty123 asdfgh asdfghjkl zxcvbnm qazwsx 1qaz2wsx qwertyqwerty
letmein letmeinnow welcome welcome1 welcometo welcomehome iloveyou iloveyoutoo
admin administrator adminadmin root changeme changemenow default secret secretpassword
monkey dragon football baseball soccer cricket rugby liverpool arsenal chelsea manchester
sunshine princess shadow master superman batman trustno1 whatever starwars pokemon
abc123 abcdef abcdefg abcdefgh abc12345 a1b2c3 aaaaaa zaq12wsx
computer internet access access14 login mypassword yourpassword thepassword
hello hellohello helloworld freedom flower summer winter autumn spring
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
correcthorsebatterystaple correcthorse horsebatterystaple
growthdeal growthdealtracker localenterprisepartnership enterprisepartnership
governmentgrant quarterlyreturn programmemanager financeteam
`;

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter(Boolean));
