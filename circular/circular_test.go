package circular

import (
	"errors"
	"testing"
	"time"
)

// trickyUnit has every character XML escapes; it must come back as written.
const trickyUnit = `市"智慧"<办公>&'服务'中心`

var (
	commended = []string{"市市场监管局(知识产权局)", "中牟县人民政府", "郑州高新技术产业开发区管委会"}
	// criticised lists each unit with its handler (经办人), as an item reads.
	criticised = []string{
		trickyUnit + "（经办人：张三）：3项任务逾期，最长逾期21个工作日。",
		"市科技局（经办人：李四）：1项任务逾期，逾期9个工作日。",
	}
	escalated = []string{
		"（L3 通报）" + trickyUnit + "牵头的“专利转化运用专项行动”任务，截至12月31日仍未报送进展。",
		"（L4 追究责任）市科技局牵头的“知识产权质押融资”任务，经督办通知后逾期15个工作日仍未完成。",
	}
)

func sampleTable() Table {
	return Table{
		Title:  "2025年度知识产权强市建设工作考核排名",
		Header: []string{"排名", "单位编码", "单位", "按时完成率", "逾期天数", "得分", "经办人"},
		Rows: [][]string{
			{"1", "007", "市市场监管局(知识产权局)", "100%", "0", "98.5", "王五"},
			{"2", "012", "中牟县人民政府", "96.25%", "3", "95.25", "赵六"},
			{"3", "020", trickyUnit, "80.5%", "21", "71", "张三"},
			{"4", "031", "市科技局"}, // short rows are padded
		},
	}
}

func sampleDocument() Document {
	table := sampleTable()
	return Document{
		Issuer:     "郑州市知识产权强市建设工作领导小组办公室",
		Number:     "督办通报〔2025〕1号",
		Title:      "关于2025年度知识产权强市建设工作任务落实情况的通报",
		Recipients: "各有关单位:",
		Sections: []Section{
			{Paragraphs: []string{"根据年度考核结果，现将2025年度知识产权强市建设工作任务落实情况通报如下。"}},
			{Heading: "一、通报表扬", Paragraphs: []string{"以下单位按时保质完成全部任务，予以通报表扬："}, Items: commended},
			{Heading: "二、通报批评", Paragraphs: []string{"以下单位任务逾期，予以通报批评："}, Items: criticised},
			{Heading: "三、通报及追究责任事项", Items: escalated},
			{Heading: "四、工作要求", Paragraphs: []string{"各单位要对照问题清单，限期整改到位。"}},
		},
		Date:  time.Date(2026, 1, 15, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)),
		Table: &table,
	}
}

func TestInvalidInput(t *testing.T) {
	long := sampleTable()
	long.Rows = append(long.Rows, make([]string, len(long.Header)+1))
	tests := map[string]func(*Document){
		"no issuer": func(d *Document) { d.Issuer = " " },
		"no title":  func(d *Document) { d.Title = "" },
		"no date":   func(d *Document) { d.Date = time.Time{} },
		"no header": func(d *Document) { d.Table = &Table{Title: "x"} },
		"long row":  func(d *Document) { d.Table = &long },
	}
	for name, change := range tests {
		t.Run(name, func(t *testing.T) {
			d := sampleDocument()
			change(&d)
			if _, err := DOCX(d); !errors.Is(err, ErrInvalid) {
				t.Fatalf("DOCX error = %v, want ErrInvalid", err)
			}
		})
	}
	if _, err := XLSX(long, ""); !errors.Is(err, ErrInvalid) {
		t.Fatalf("XLSX error = %v, want ErrInvalid", err)
	}
}

func TestFormatDate(t *testing.T) {
	if got := formatDate(time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)); got != "2026年1月5日" {
		t.Fatalf("formatDate = %q", got)
	}
}

func TestRecipientsColon(t *testing.T) {
	for in, want := range map[string]string{"各有关单位:": "各有关单位：", "各有关单位：": "各有关单位：", "各县(区)人民政府": "各县(区)人民政府：", " ": ""} {
		if got := (Document{Recipients: in}).recipients(); got != want {
			t.Errorf("recipients(%q) = %q, want %q", in, got, want)
		}
	}
}
