// Hand-written lists for obviously synthetic but plausible people. Names are
// romanised family-name first ("Sato Hanako"); every address is in the fictional
// "Example Prefecture", so no generated address is anyone's real home.

export const FAMILY_NAMES = [
  'Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Ito', 'Yamamoto', 'Nakamura', 'Kobayashi', 'Kato',
  'Yoshida', 'Yamada', 'Sasaki', 'Yamaguchi', 'Matsumoto', 'Inoue', 'Kimura', 'Hayashi', 'Shimizu', 'Yamazaki',
  'Mori', 'Abe', 'Ikeda', 'Hashimoto', 'Yamashita', 'Ishikawa', 'Nakajima', 'Maeda', 'Fujita', 'Ogawa',
  'Goto', 'Okada', 'Hasegawa', 'Murakami', 'Kondo', 'Ishii', 'Saito', 'Sakamoto', 'Endo', 'Aoki',
  'Fujii', 'Nishimura', 'Fukuda', 'Ota', 'Miura', 'Okamoto', 'Matsuda', 'Nakagawa', 'Harada', 'Ono',
] as const;

/** Given names change with the era: a Kazuko born in 1935, a Himari born in 2020. */
export const GIVEN_NAMES = {
  female: {
    older: ['Hanako', 'Kazuko', 'Michiko', 'Yoko', 'Keiko', 'Sachiko', 'Noriko', 'Fumiko', 'Chiyo', 'Kumiko', 'Akiko', 'Tomoko', 'Yumiko', 'Naoko', 'Junko'],
    newer: ['Megumi', 'Ayumi', 'Yuka', 'Mai', 'Misaki', 'Sakura', 'Yui', 'Himari', 'Mei', 'Rin', 'Haruka', 'Nanami', 'Emi', 'Hina', 'Riko'],
  },
  male: {
    older: ['Taro', 'Ichiro', 'Hiroshi', 'Takashi', 'Kenji', 'Satoshi', 'Takeshi', 'Kazuo', 'Shigeru', 'Minoru', 'Isamu', 'Osamu', 'Tetsuya', 'Koji', 'Masao'],
    newer: ['Daisuke', 'Kenta', 'Shota', 'Yuto', 'Haruto', 'Sota', 'Ren', 'Minato', 'Riku', 'Takumi', 'Daiki', 'Kazuki', 'Yusuke', 'Ryota', 'Kaito'],
  },
  other: {
    older: ['Akira', 'Kaoru', 'Makoto', 'Masami', 'Shinobu', 'Jun', 'Hiromi'],
    newer: ['Hikaru', 'Sora', 'Tsubasa', 'Yuki', 'Nao', 'Chihiro', 'Aoi'],
  },
} as const;

/** Births from this year on mostly get `newer` names. */
export const NAME_ERA_CHANGE_YEAR = 1975;

export const TOWNS = [
  'Sakura', 'Midori', 'Asahi', 'Hikari', 'Aoba', 'Chuo', 'Hon', 'Kita', 'Minami', 'Higashi',
  'Nishi', 'Sakae', 'Motomachi', 'Shinmachi', 'Kotobuki', 'Heiwa', 'Wakaba', 'Matsubara', 'Kawaguchi', 'Miyamae',
  'Tsutsuji', 'Kaede', 'Hinode', 'Yayoi', 'Fuji', 'Ume', 'Take', 'Yanagi', 'Hagi', 'Suzuran',
] as const;

export const CITIES = [
  'Minato', 'Kawabe', 'Yamanaka', 'Hoshino', 'Aozora', 'Tsukimi', 'Kasumi', 'Mizuho', 'Harumi', 'Momiji',
  'Nagisa', 'Hanazono', 'Izumi', 'Tokiwa', 'Wakamatsu', 'Fujimi', 'Shiratori', 'Kirigaoka', 'Umibe', 'Morinosato',
] as const;

export const FICTIONAL_PREFECTURE = 'Example Prefecture';
