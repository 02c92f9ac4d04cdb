package importer

// Traditional script (繁體): the parser's rules are written in simplified characters, so
// fold maps the traditional characters those rules and the common department names use
// to their simplified forms, rune for rune (牽頭單位 reads as 牵头单位). Output keeps the
// document's own text: see doc.keep. Both forms of every pair are three bytes in UTF-8, so
// byte offsets in a folded string are offsets in the width-folded original too.
const (
	tradChars = "牽頭單責負門關於會廳縣區鄉鎮辦處號發務國級參與協時間點節達億萬項個條場戶畝噸臺種冊類總標實開東為將劃應歸並見經過濟產業設計規學術衛醫療稅財資貿農職組織導領監環護體態員電網絡數據線圖書檢驗獎勵補貼貸額層長統籌調聯質內營運輸進舉屆權證審許廣慶陽蘇館團隊園機構黨傳專幣錢創稱屬轄廠礦鐵車軌橋鋼氣熱災險優勢陝寶鄭漢連遠圍價費齊蘭廈溝灣漁聞視聽藝遊歷紀檔編華僑婦殘師範兒藥測繪糧儲備郵銀壇歲週併則爭鬥積極續擴滿尋執齡養義勞動傷貨碼島採購軟雲異們樣壓縮際評議訴訟紛畫擬報徵變遷轉換舊樓寫讀課講論認識訂鐘緊彈簡嚴親雙競賽壯陸隨擔憑鬆勁減穩崗徹題"
	simpChars = "牵头单责负门关于会厅县区乡镇办处号发务国级参与协时间点节达亿万项个条场户亩吨台种册类总标实开东为将划应归并见经过济产业设计规学术卫医疗税财资贸农职组织导领监环护体态员电网络数据线图书检验奖励补贴贷额层长统筹调联质内营运输进举届权证审许广庆阳苏馆团队园机构党传专币钱创称属辖厂矿铁车轨桥钢气热灾险优势陕宝郑汉连远围价费齐兰厦沟湾渔闻视听艺游历纪档编华侨妇残师范儿药测绘粮储备邮银坛岁周并则争斗积极续扩满寻执龄养义劳动伤货码岛采购软云异们样压缩际评议诉讼纷画拟报征变迁转换旧楼写读课讲论认识订钟紧弹简严亲双竞赛壮陆随担凭松劲减稳岗彻题"
)

var tradToSimp = func() map[rune]rune {
	t, s := []rune(tradChars), []rune(simpChars)
	m := make(map[rune]rune, len(t))
	for i := range t {
		m[t[i]] = s[i]
	}
	return m
}()

// simplify maps one traditional character to its simplified form.
func simplify(r rune) rune {
	if s, ok := tradToSimp[r]; ok {
		return s
	}
	return r
}
