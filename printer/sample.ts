// Sample documents (fictional test data) for tests and for rendering a look-at-it PDF by hand.
import type { IssuedCertificate, Receipt } from './document.ts';

/** 住民票の写し for a household of three, including the rare-kanji names 髙𠮷 and 﨑子. */
export function sampleJuminhyo(overrides: Partial<IssuedCertificate> = {}): IssuedCertificate {
  const address = '神奈川県川崎市中原区小杉町三丁目２６４番地３　テストハイツ１０２号';
  const person = (name: string, kana: string, born: string, sex: string, relation: string) => [
    { label: '氏名', value: name },
    { label: 'フリガナ', value: kana },
    { label: '生年月日', value: born },
    { label: '性別', value: sex },
    { label: '続柄', value: relation },
    { label: '住民となった年月日', value: '令和2年4月1日' },
    { label: '住所を定めた年月日', value: '令和2年4月1日' },
    { label: '前住所', value: '東京都大田区蒲田五丁目１３番１４号（令和2年4月1日転入）' },
    { label: '本籍', value: '神奈川県川崎市中原区小杉町三丁目２６４番地' },
    { label: '筆頭者', value: '髙𠮷 太郎' },
  ];
  return {
    kind: 'juminhyo',
    title: '住民票の写し',
    issuanceNumber: 'K2025-000123',
    verificationCode: '7Q4M-2X9C-HT5A',
    copyIndex: 1,
    copies: 2,
    issuedAt: '2025-11-21T14:05:00+09:00',
    municipality: { name: '川崎市', mayor: '多摩 一郎' },
    header: [
      { label: '住所', value: address },
      { label: '世帯主', value: '髙𠮷 太郎' },
    ],
    people: [
      person('髙𠮷 太郎', 'タカヨシ タロウ', '昭和55年6月12日', '男', '世帯主'),
      person('髙𠮷 﨑子', 'タカヨシ サキコ', '昭和57年2月3日', '女', '妻'),
      person('髙𠮷 健太', 'タカヨシ ケンタ', '平成24年9月30日', '男', '子'),
    ],
    certification: 'この写しは、世帯全員の住民票の原本と相違ないことを証明する。',
    ...overrides,
  };
}

export function sampleReceipt(overrides: Partial<Receipt> = {}): Receipt {
  return {
    issuanceNumber: 'K2025-000123',
    issuedAt: '2025-11-21T14:05:00+09:00',
    storeName: 'テストマート 武蔵小杉駅前店',
    terminalId: 'MCP-0042',
    lines: [
      { title: '住民票の写し', copies: 2, unitFee: 200, printed: 2 },
      { title: '印鑑登録証明書', copies: 1, unitFee: 200, printed: 0 },
    ],
    charged: 400,
    inserted: 1000,
    change: 400,
    refunded: 200,
    ...overrides,
  };
}
