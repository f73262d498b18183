// UI strings (see i18n.h). One row per key: en, es, ko, zh-Hans, hy, tl; Traditional Chinese in
// its own table below (a missing one falls back to Simplified, then English). Translations by the
// team; native speakers in the chapter should review them before a campaign relies on them.
#include "wasm/i18n.h"

#include <array>
#include <map>

namespace doorstep::i18n {

namespace {

using Row = std::array<const char*, 6>;
const std::map<std::string_view, Row>& table() {
  static const std::map<std::string_view, Row> t = {
      {"doors", {"Doors", "Puertas", "집", "门户", "Դռներ", "Mga pinto"}},
      {"door", {"Door", "Puerta", "방문", "门户详情", "Դուռ", "Pinto"}},
      {"script", {"Script", "Guion", "대본", "话术", "Տեքստ", "Iskrip"}},
      {"settings", {"Settings", "Ajustes", "설정", "设置", "Կարգավ.", "Settings"}},
      {"not_home", {"Not home", "No está", "부재", "不在家", "Տանը չէ", "Wala sa bahay"}},
      {"talked", {"Talked", "Hablamos", "대화함", "已交谈", "Խոսեցինք", "Nakausap"}},
      {"refused", {"Refused", "Rechazó", "거절", "拒绝", "Մերժեց", "Tumanggi"}},
      {"come_back", {"Come back", "Volver luego", "다시 방문", "稍后再来", "Վերադառնալ", "Bumalik mamaya"}},
      {"moved", {"Moved", "Se mudó", "이사함", "已搬走", "Տեղափոխվել է", "Lumipat"}},
      {"inaccessible", {"Can't reach", "Inaccesible", "접근 불가", "无法进入", "Անհասանելի", "Di mapuntahan"}},
      {"deceased", {"Deceased", "Falleció", "사망", "已故", "Մահացել է", "Pumanaw"}},
      {"wrong_address", {"Wrong address", "Dirección errónea", "주소 오류", "地址错误", "Սխալ հասցե", "Maling address"}},
      {"lit_drop", {"Left literature", "Dejé folleto", "전단지 남김", "留下传单", "Թռուցիկ թողեցի", "Nag-iwan ng flyer"}},
      {"not_visited", {"Not visited", "Sin visitar", "미방문", "未访问", "Չայցելված", "Hindi pa napupuntahan"}},
      {"saved_phone", {"Saved on phone", "Guardado en el teléfono", "휴대폰에 저장됨", "已保存在手机", "Պահված է հեռախոսում", "Naka-save sa telepono"}},
      {"all_sent", {"All sent", "Todo enviado", "모두 전송됨", "已全部发送", "Ամբողջը ուղարկված է", "Naipadala lahat"}},
      {"waiting", {"not yet sent", "sin enviar", "건 아직 안 보냄", "条未发送", "դեռ ուղարկված չէ", "hindi pa naipapadala"}},
      {"offline", {"Offline: records stay safe on this phone", "Sin conexión: los registros quedan en el teléfono",
                   "오프라인: 기록은 이 휴대폰에 안전하게 보관됩니다", "离线：记录安全保存在手机上",
                   "Անցանց. գրառումները պահվում են հեռախոսում", "Offline: ligtas ang mga tala sa teleponong ito"}},
      {"sending", {"Sending…", "Enviando…", "전송 중…", "发送中…", "Ուղարկվում է…", "Ipinapadala…"}},
      {"notes", {"Notes", "Notas", "메모", "备注", "Նշումներ", "Mga tala"}},
      {"add_notes", {"Add notes", "Agregar notas", "메모 추가", "添加备注", "Ավելացնել նշում", "Magdagdag ng tala"}},
      {"save", {"Save", "Guardar", "저장", "保存", "Պահել", "I-save"}},
      {"next_door", {"Next door", "Siguiente puerta", "다음 집", "下一户", "Հաջորդ դուռը", "Susunod na pinto"}},
      {"who", {"Who answered?", "¿Quién atendió?", "누가 응답했나요?", "谁应的门？", "Ո՞վ պատասխանեց", "Sino ang sumagot?"}},
      {"someone_else", {"Someone else", "Otra persona", "다른 사람", "其他人", "Ուրիշ մեկը", "Ibang tao"}},
      {"survey", {"Survey", "Encuesta", "설문", "问卷", "Հարցում", "Survey"}},
      {"yes", {"Yes", "Sí", "예", "是", "Այո", "Oo"}},
      {"no", {"No", "No", "아니요", "否", "Ոչ", "Hindi"}},
      {"language", {"Language", "Idioma", "언어", "语言", "Լեզու", "Wika"}},
      {"your_name", {"Your name", "Tu nombre", "이름", "你的名字", "Ձեր անունը", "Pangalan mo"}},
      {"show_map", {"Show map", "Mostrar mapa", "지도 보기", "显示地图", "Ցույց տալ քարտեզը", "Ipakita ang mapa"}},
      {"open_link", {"Open the link your organizer sent you.", "Abre el enlace que te envió tu organizador.",
                     "오거나이저가 보낸 링크를 여세요.", "请打开组织者发给你的链接。",
                     "Բացեք կազմակերպչի ուղարկած հղումը։", "Buksan ang link na ipinadala ng iyong organizer."}},
      {"loading", {"Loading your doors…", "Cargando tus puertas…", "집 목록을 불러오는 중…", "正在加载门户…",
                   "Բեռնվում են դռները…", "Nilo-load ang mga pinto…"}},
      {"no_door", {"Pick a door on the map or in the list.", "Elige una puerta en el mapa o la lista.",
                   "지도나 목록에서 집을 고르세요.", "在地图或列表中选择一户。", "Ընտրեք դուռը քարտեզից կամ ցանկից։",
                   "Pumili ng pinto sa mapa o listahan."}},
      // Display settings and the sandbox banners.
      {"text_size", {"Text size", "Tamaño del texto", "글자 크기", "文字大小", "Տառաչափ", "Laki ng teksto"}},
      {"size_normal", {"Normal", "Normal", "보통", "标准", "Սովորական", "Karaniwan"}},
      {"size_large", {"Large", "Grande", "크게", "大", "Մեծ", "Malaki"}},
      {"size_largest", {"Largest", "Muy grande", "가장 크게", "特大", "Ամենամեծ", "Pinakamalaki"}},
      {"high_contrast", {"High contrast", "Alto contraste", "고대비", "高对比度", "Բարձր կոնտրաստ", "Mataas na contrast"}},
      {"practice_banner", {"Practice: nothing is saved or sent", "Práctica: nada se guarda ni se envía",
                           "연습: 아무것도 저장·전송되지 않습니다", "练习：不会保存或发送任何内容", "Վարժանք. ոչինչ չի պահվում և չի ուղարկվում",
                           "Pagsasanay: walang sine-save o ipinapadala"}},
      {"preview_banner", {"Preview: nothing is saved or sent", "Vista previa: nada se guarda ni se envía",
                          "미리 보기: 아무것도 저장·전송되지 않습니다", "预览：不会保存或发送任何内容", "Նախադիտում. ոչինչ չի պահվում և չի ուղարկվում",
                          "Preview: walang sine-save o ipinapadala"}},
      {"recorded", {"Recorded", "Registrado", "기록됨", "已记录", "Գրանցված է", "Naitala"}},
      {"where_am_i", {"Where am I", "¿Dónde estoy?", "내 위치", "我在哪里", "Որտե՞ղ եմ ես", "Nasaan ako"}},
      {"location_reason",
       {"Doorstep uses your location only on this phone: to show where you are and to note where a door was recorded.",
        "Doorstep usa su ubicación solo en este teléfono: para mostrar dónde está y anotar dónde se registró una puerta.",
        "Doorstep는 이 휴대폰에서만 위치를 사용합니다: 현재 위치를 보여 주고 방문 기록 위치를 남기기 위해서입니다.",
        "Doorstep 仅在本手机上使用您的位置：显示您在哪里，并记下在哪里记录了某户。",
        "Doorstep-ը ձեր գտնվելու վայրն օգտագործում է միայն այս հեռախոսում՝ ցույց տալու, թե որտեղ եք, և նշելու, թե որտեղ է գրանցվել դուռը։",
        "Ginagamit ng Doorstep ang iyong lokasyon sa teleponong ito lamang: para ipakita kung nasaan ka at itala kung saan naitala ang isang pinto."}},
      {"done_of", {"done", "hechas", "완료", "已完成", "արված", "tapos"}},
      {"link_ended", {"This link has ended. Thank you!", "Este enlace terminó. ¡Gracias!", "이 링크는 종료되었습니다. 감사합니다!",
                      "此链接已结束。谢谢！", "Այս հղումն ավարտվել է։ Շնորհակալություն։", "Tapos na ang link na ito. Salamat!"}},
      {"other_tab", {"Doorstep is open in another tab. This tab takes over as soon as that one is closed.",
                     "Doorstep está abierto en otra pestaña. Esta sigue en cuanto cierres aquella.",
                     "다른 탭에서 Doorstep이 열려 있습니다. 그 탭을 닫으면 이 탭이 이어받습니다.",
                     "Doorstep 已在另一个标签页中打开。关闭那个标签页后，本页将接手。",
                     "Doorstep-ը բաց է այլ ներդիրում։ Այն փակելուն պես այս ներդիրը կշարունակի։",
                     "Bukas ang Doorstep sa ibang tab. Itutuloy ito ng tab na ito kapag isinara iyon."}},
      {"safety", {"Safety note", "Aviso de seguridad", "안전 주의", "安全提示", "Անվտանգության նշում", "Paalala sa kaligtasan"}},
      {"history", {"Earlier at this door", "Antes en esta puerta", "이 집의 이전 기록", "此户的历史", "Նախկինում այս դռան մոտ", "Dati sa pintong ito"}},
      {"new_resident", {"+ New resident", "+ Nuevo residente", "+ 새 거주자", "+ 新住户", "+ Նոր բնակիչ", "+ Bagong residente"}},
      {"sign_up", {"Sign up", "Inscripción", "가입", "登记", "Գրանցում", "Mag-sign up"}},
      {"name", {"Name", "Nombre", "이름", "姓名", "Անուն", "Pangalan"}},
      {"phone", {"Phone", "Teléfono", "전화", "电话", "Հեռախոս", "Telepono"}},
      {"email", {"Email", "Correo", "이메일", "电子邮件", "Էլ. փոստ", "Email"}},
      {"consent_call", {"OK to call", "Acepta llamadas", "전화 동의", "同意来电", "Համաձայն է զանգին", "Puwedeng tawagan"}},
      {"consent_email", {"OK to email", "Acepta correos", "이메일 동의", "同意邮件", "Համաձայն է նամակին", "Puwedeng i-email"}},
      {"consent_volunteer", {"Wants to volunteer", "Quiere ser voluntario", "자원봉사 희망", "愿意做志愿者", "Կամավոր կլինի", "Gustong magboluntaryo"}},
      {"consent_join", {"Wants to join", "Quiere unirse", "가입 희망", "愿意加入", "Կմիանա", "Gustong sumali"}},
      {"unit", {"Unit", "Depto.", "호", "单元", "Բն.", "Unit"}},
      // The shift screens (start, walk list, door, help, practice).
      {"name_title", {"What's your first name?", "¿Cuál es tu nombre?", "이름이 무엇인가요?", "你叫什么名字？", "Ի՞նչ է ձեր անունը",
                      "Ano ang pangalan mo?"}},
      {"name_why", {"It goes in the script (\"I'm ___\") and with your records.",
                    "Va en el guion (\"Soy ___\") y con tus registros.", "대본(\"저는 ___입니다\")과 기록에 함께 들어갑니다.",
                    "会用在话术里（“我是___”），也会附在你的记录上。", "Այն մտնում է տեքստի մեջ («Ես ___ եմ») և ձեր գրառումների մեջ։",
                    "Gagamitin ito sa iskrip (\"Ako si ___\") at sa iyong mga tala."}},
      {"not_now", {"Not now", "Ahora no", "나중에", "以后再说", "Ոչ հիմա", "Hindi muna"}},
      {"ok", {"OK", "Aceptar", "확인", "确定", "Լավ", "OK"}},
      {"help", {"Help", "Ayuda", "도움말", "帮助", "Օգնություն", "Tulong"}},
      {"help_call", {"Call your organizer", "Llama a tu organizador", "오거나이저에게 전화", "打电话给组织者", "Զանգել կազմակերպչին",
                     "Tawagan ang organizer"}},
      {"help_meet", {"Meeting place", "Punto de encuentro", "모이는 장소", "集合地点", "Հանդիպման վայրը", "Tagpuan"}},
      {"help_end", {"Shift ends", "El turno termina", "종료 시간", "轮班结束时间", "Հերթափոխի ավարտը", "Katapusan ng shift"}},
      {"help_faq", {"Questions residents ask", "Preguntas de los residentes", "주민들이 자주 묻는 질문", "居民常问的问题",
                    "Հարցեր, որ տալիս են բնակիչները", "Mga tanong ng mga residente"}},
      {"help_none", {"Your organizer has not added help for this campaign.",
                     "Tu organizador no agregó ayuda para esta campaña.", "오거나이저가 이 캠페인에 도움말을 추가하지 않았습니다.",
                     "组织者尚未为这次活动添加帮助信息。", "Կազմակերպիչը այս արշավի համար օգնություն չի ավելացրել։",
                     "Hindi pa nagdagdag ng tulong ang iyong organizer para sa kampanyang ito."}},
      {"help_unsafe", {"If you feel unsafe, leave. Your safety comes first.",
                       "Si no te sientes seguro, vete. Tu seguridad es lo primero.",
                       "불안하다고 느껴지면 그 자리를 떠나세요. 안전이 가장 중요합니다.", "如果感到不安全，请离开。你的安全最重要。",
                       "Եթե ձեզ անապահով եք զգում, հեռացեք։ Ձեր անվտանգությունն ամենակարևորն է։",
                       "Kung pakiramdam mo ay hindi ka ligtas, umalis ka. Ang kaligtasan mo ang pinakamahalaga."}},
      {"back", {"Back", "Volver", "뒤로", "返回", "Հետ", "Bumalik"}},
      {"search", {"Search address or name", "Buscar dirección o nombre", "주소 또는 이름 검색", "搜索地址或姓名",
                  "Որոնել հասցե կամ անուն", "Hanapin ang address o pangalan"}},
      {"search_clear", {"Clear search", "Borrar búsqueda", "검색 지우기", "清除搜索", "Մաքրել որոնումը",
                        "I-clear ang paghahanap"}},
      {"no_match", {"No door matches.", "Ninguna puerta coincide.", "일치하는 집이 없습니다.", "没有符合的门户。",
                    "Համապատասխան դուռ չկա։", "Walang tugmang pinto."}},
      {"floor", {"Floor", "Piso", "층", "楼层", "Հարկ", "Palapag"}},
      {"units", {"Units", "Unidades", "호실", "单元", "Բնակարաններ", "Mga unit"}},
      {"skip", {"Skip", "Saltar", "건너뛰기", "跳过", "Բաց թողնել", "Laktawan"}},
      {"skipped", {"Skipped", "Saltada", "건너뜀", "已跳过", "Բաց թողնված", "Nilaktawan"}},
      {"go_next", {"Go to next door", "Ir a la siguiente puerta", "다음 집으로 가기", "前往下一户", "Անցնել հաջորդ դռանը",
                   "Pumunta sa susunod na pinto"}},
      {"all_done", {"Every door has a result.", "Todas las puertas tienen resultado.", "모든 집에 결과가 있습니다.", "每一户都有结果了。",
                    "Բոլոր դռներն արդյունք ունեն։", "May resulta na ang bawat pinto."}},
      {"unsafe", {"Leaving: unsafe", "Me voy: inseguro", "위험해서 떠남", "离开：不安全", "Հեռանում եմ. անապահով է",
                  "Aalis: hindi ligtas"}},
      {"script_in", {"Script in", "Guion en", "대본 언어", "话术语言", "Տեքստի լեզուն", "Iskrip sa"}},
      {"age", {"age", "edad", "나이", "年龄", "տարիք", "edad"}},
      {"consent_text", {"OK to text", "Acepta mensajes de texto", "문자 동의", "同意短信", "Համաձայն է SMS-ին",
                        "Puwedeng i-text"}},
      {"practice", {"Practice", "Práctica", "연습", "练习", "Վարժանք", "Pagsasanay"}},
      {"practice_start", {"Practice with made-up doors", "Practicar con puertas inventadas", "가상의 집으로 연습하기", "用虚构的门户练习",
                          "Վարժվել հորինված դռներով", "Magsanay sa mga kunwaring pinto"}},
      {"practice_end", {"End practice", "Terminar práctica", "연습 끝내기", "结束练习", "Ավարտել", "Tapusin"}},
      {"package_size", {"Your doors are about %s to download on mobile data.",
                        "Tus puertas pesan unos %s en datos móviles.", "집 목록을 모바일 데이터로 내려받으면 약 %s입니다.",
                        "用移动数据下载你的门户约需 %s。", "Ձեր դռները բջջային ինտերնետով ներբեռնելու համար պետք է մոտ %s։",
                        "Mga %s ang ida-download ng iyong mga pinto gamit ang mobile data."}},
      {"download", {"Download", "Descargar", "내려받기", "下载", "Ներբեռնել", "I-download"}},
      {"by_you", {"you", "tú", "나", "你", "դուք", "ikaw"}},
      {"error_storage", {"This phone's storage is not available; records cannot be kept.",
                         "El almacenamiento del teléfono no está disponible.", "휴대폰 저장소를 사용할 수 없습니다.",
                         "手机存储不可用。", "Հեռախոսի հիշողությունը հասանելի չէ։", "Hindi magamit ang storage ng telepono."}},
      // Sync you can see, and the end of the shift.
      {"saving", {"Saving…", "Guardando…", "저장 중…", "正在保存…", "Պահվում է…", "Sine-save…"}},
      {"undo", {"Undo", "Deshacer", "실행 취소", "撤销", "Հետարկել", "I-undo"}},
      {"undone", {"Undone", "Deshecho", "취소됨", "已撤销", "Հետարկված է", "Na-undo"}},
      {"correct", {"Correct", "Corregir", "수정", "更正", "Ուղղել", "Itama"}},
      {"correcting", {"Correcting your record", "Corrigiendo tu registro", "기록 수정 중", "正在更正你的记录",
                      "Ուղղում եք ձեր գրառումը", "Itinatama ang iyong tala"}},
      {"cancel_correct", {"Cancel correction", "Cancelar corrección", "수정 취소", "取消更正", "Չեղարկել ուղղումը",
                          "Kanselahin ang pagtatama"}},
      {"corrected", {"corrected", "corregido", "수정됨", "已更正", "ուղղված", "itinama"}},
      {"is_offline", {"Offline", "Sin conexión", "오프라인", "离线", "Անցանց", "Offline"}},
      {"send_now", {"Send now", "Enviar ahora", "지금 보내기", "立即发送", "Ուղարկել հիմա", "Ipadala ngayon"}},
      {"last_sync", {"Last sent", "Último envío", "마지막 전송", "上次发送", "Վերջին ուղարկումը", "Huling padala"}},
      {"trouble_link", {"Link ended: tell your organizer", "Enlace terminado: avisa a tu organizador",
                        "링크 종료됨: 오거나이저에게 알리세요", "链接已结束：请告诉组织者",
                        "Հղումն ավարտվել է. տեղեկացրեք կազմակերպչին", "Tapos na ang link: sabihan ang organizer"}},
      {"trouble_server", {"Server trouble: trying again", "Problema del servidor: reintentando", "서버 문제: 다시 시도 중",
                          "服务器出错：正在重试", "Սերվերի խնդիր. նորից ենք փորձում", "May problema ang server: sinusubukan ulit"}},
      {"trouble_storage", {"Phone storage full: not saved yet. Free some space.",
                           "Almacenamiento lleno: aún no guardado. Libera espacio.",
                           "저장 공간 부족: 아직 저장 안 됨. 공간을 확보하세요.", "手机存储已满：尚未保存。请释放空间。",
                           "Հիշողությունը լի է. դեռ պահված չէ։ Ազատեք տեղ։",
                           "Puno ang storage: hindi pa naka-save. Magbakante ng espasyo."}},
      {"load_offline", {"You're offline. Your doors download as soon as you're back online.",
                        "Sin conexión. Tus puertas se descargan en cuanto vuelvas a tener conexión.",
                        "오프라인입니다. 다시 연결되면 바로 집 목록을 내려받습니다.", "你处于离线状态。恢复联网后会立即下载门户。",
                        "Անցանց եք։ Դռները կներբեռնվեն, հենց կապը վերականգնվի։",
                        "Offline ka. Mada-download ang mga pinto pagbalik ng koneksyon."}},
      {"load_server", {"Can't reach the server right now. Trying again…", "No se puede contactar el servidor. Reintentando…",
                       "지금 서버에 연결할 수 없습니다. 다시 시도하는 중…", "暂时无法连接服务器。正在重试…",
                       "Սերվերը հիմա հասանելի չէ։ Նորից ենք փորձում…", "Hindi maabot ang server ngayon. Sinusubukan ulit…"}},
      {"try_again", {"Try again", "Reintentar", "다시 시도", "重试", "Կրկին փորձել", "Subukan ulit"}},
      {"end_shift", {"End of shift", "Fin del turno", "근무 종료", "结束轮班", "Հերթափոխի ավարտ", "Tapos ng shift"}},
      {"sum_doors", {"Doors knocked", "Puertas tocadas", "방문한 집", "已敲门户", "Թակված դռներ", "Mga pintong kinatok"}},
      {"sum_contacts", {"Conversations", "Conversaciones", "대화", "交谈", "Զրույցներ", "Mga nakausap"}},
      {"sum_signups", {"Sign-ups", "Inscripciones", "가입", "登记", "Գրանցումներ", "Mga nag-sign up"}},
      {"sum_support", {"Support", "Apoyo", "지지", "支持度", "Աջակցություն", "Suporta"}},
      {"finish", {"Finish and remove from phone", "Terminar y borrar del teléfono", "종료하고 휴대폰에서 삭제",
                  "完成并从手机删除", "Ավարտել և ջնջել հեռախոսից", "Tapusin at alisin sa telepono"}},
      {"finish_note", {"Finishing removes this turf and its residents from this phone.",
                       "Al terminar se borran de este teléfono el área y sus residentes.",
                       "종료하면 이 구역과 주민 정보가 휴대폰에서 삭제됩니다.", "完成后，本片区及其住户信息将从手机删除。",
                       "Ավարտելիս այս տարածքը և նրա բնակիչները կջնջվեն հեռախոսից։",
                       "Kapag tinapos, aalisin sa teleponong ito ang turf at mga residente nito."}},
      {"finish_refused", {"Not finished: %s records not yet sent. Get online and tap Send now; finish once all are sent.",
                          "No terminado: %s registros sin enviar. Conéctate y toca Enviar ahora; termina cuando todo esté enviado.",
                          "종료 안 됨: 보내지 않은 기록 %s건. 인터넷에 연결해 지금 보내기를 누르고, 모두 보낸 뒤 종료하세요.",
                          "未完成：%s 条记录尚未发送。请联网并点“立即发送”，全部发送后再完成。",
                          "Չավարտվեց. %s գրառում դեռ ուղարկված չէ։ Միացեք և սեղմեք «Ուղարկել հիմա», ավարտեք, երբ ամբողջն ուղարկվի։",
                          "Hindi natapos: %s tala ang hindi pa naipapadala. Kumonekta at pindutin ang Ipadala ngayon; tapusin kapag naipadala na lahat."}},
      {"shift_finished", {"Shift finished: everything was sent and removed from this phone. Thank you!",
                          "Turno terminado: todo se envió y se borró de este teléfono. ¡Gracias!",
                          "근무 종료: 모두 전송되었고 휴대폰에서 삭제되었습니다. 감사합니다!", "轮班结束：全部已发送并已从手机删除。谢谢！",
                          "Հերթափոխն ավարտվեց. ամբողջն ուղարկվեց և ջնջվեց հեռախոսից։ Շնորհակալություն։",
                          "Tapos na ang shift: naipadala lahat at inalis sa teleponong ito. Salamat!"}},
      // Turfs side by side (a second link, the switcher).
      {"other_turf_title", {"Another turf is on this phone", "Hay otro territorio en este teléfono",
                            "이 휴대폰에 다른 구역이 있습니다", "本手机上已有另一个片区", "Այս հեռախոսում կա մեկ այլ տարածք",
                            "May ibang turf sa teleponong ito"}},
      {"other_turf_ask", {"You opened a new link. Finish this turf first, or keep both on this phone and switch between them in Settings.",
                          "Abriste un enlace nuevo. Termina primero este territorio, o guarda los dos en el teléfono y cambia entre ellos en Ajustes.",
                          "새 링크를 여셨습니다. 먼저 이 구역을 끝내거나, 둘 다 휴대폰에 두고 설정에서 바꿔 가며 쓰세요.",
                          "你打开了一个新链接。请先完成这个片区，或把两个都留在手机上，在“设置”中切换。",
                          "Դուք բացեցիք նոր հղում։ Նախ ավարտեք այս տարածքը կամ պահեք երկուսն էլ հեռախոսում և փոխեք դրանք Կարգավորումներում։",
                          "Nagbukas ka ng bagong link. Tapusin muna ang turf na ito, o itago ang dalawa sa telepono at magpalipat-lipat sa Settings."}},
      {"doors_left", {"%s doors left", "quedan %s puertas", "남은 집 %s곳", "剩余 %s 户", "մնացել է %s դուռ",
                      "%s pinto ang natitira"}},
      {"finish_first", {"Finish %s first", "Terminar %s primero", "%s 먼저 끝내기", "先完成 %s", "Նախ ավարտել՝ %s",
                        "Tapusin muna ang %s"}},
      {"keep_both", {"Keep both", "Guardar los dos", "둘 다 유지", "两个都保留", "Պահել երկուսն էլ", "Panatilihin ang dalawa"}},
      {"turf_limit", {"This phone already holds %s turfs, the most it keeps. Finish one of them first.",
                      "Este teléfono ya tiene %s territorios, el máximo. Termina uno de ellos primero.",
                      "이 휴대폰에는 이미 최대 개수인 %s개 구역이 있습니다. 먼저 그중 하나를 끝내세요.", "本手机已存有 %s 个片区，已达上限。请先完成其中一个。",
                      "Այս հեռախոսում արդեն կա %s տարածք՝ առավելագույնը։ Նախ ավարտեք դրանցից մեկը։",
                      "May %s turf na sa teleponong ito, ang pinakamarami nitong kaya. Tapusin muna ang isa sa mga iyon."}},
      {"turfs_here", {"Turfs on this phone", "Territorios en este teléfono", "이 휴대폰의 구역", "本手机上的片区",
                      "Տարածքներ այս հեռախոսում", "Mga turf sa teleponong ito"}},
      {"turf_ended", {"Ended link", "Enlace terminado", "종료된 링크", "已结束的链接", "Ավարտված հղում", "Tapos nang link"}},
      {"finish_then_link", {"Once you finish, your new link opens.", "Al terminar, se abre tu enlace nuevo.",
                            "끝내면 새 링크가 열립니다.", "完成后，你的新链接就会打开。", "Ավարտելուց հետո կբացվի ձեր նոր հղումը։",
                            "Pagkatapos mo, bubukas ang bago mong link."}},
  };
  return t;
}

// Traditional Chinese (the script LA County's election materials use).
const std::map<std::string_view, const char*>& hant() {
  static const std::map<std::string_view, const char*> t = {
      {"doors", "門戶"}, {"door", "門戶詳情"}, {"script", "話術"}, {"settings", "設定"}, {"not_home", "不在家"},
      {"talked", "已交談"}, {"refused", "拒絕"}, {"come_back", "稍後再來"}, {"moved", "已搬走"},
      {"inaccessible", "無法進入"}, {"deceased", "已故"}, {"wrong_address", "地址錯誤"}, {"lit_drop", "留下傳單"},
      {"not_visited", "未訪問"}, {"saved_phone", "已儲存在手機"}, {"all_sent", "已全部傳送"},
      {"offline", "離線：記錄安全保存在手機上"}, {"sending", "傳送中…"}, {"notes", "備註"}, {"add_notes", "新增備註"},
      {"save", "儲存"}, {"next_door", "下一戶"}, {"who", "誰應的門？"}, {"someone_else", "其他人"}, {"survey", "問卷"},
      {"yes", "是"}, {"no", "否"}, {"language", "語言"}, {"your_name", "你的名字"}, {"show_map", "顯示地圖"},
      {"open_link", "請打開組織者發給你的連結。"}, {"loading", "正在載入門戶…"}, {"no_door", "在地圖或列表中選擇一戶。"},
      {"recorded", "已記錄"}, {"where_am_i", "我在哪裡"}, {"done_of", "已完成"}, {"link_ended", "此連結已結束。謝謝！"},
      {"safety", "安全提示"}, {"history", "此戶的紀錄"},
      {"new_resident", "+ 新住戶"}, {"sign_up", "登記"}, {"name", "姓名"}, {"phone", "電話"}, {"email", "電子郵件"},
      {"consent_call", "同意來電"}, {"consent_email", "同意郵件"}, {"consent_volunteer", "願意做志工"},
      {"consent_join", "願意加入"}, {"unit", "單元"}, {"help", "說明"}, {"ok", "確定"}, {"back", "返回"},
      {"floor", "樓層"}, {"error_storage", "手機儲存空間無法使用。"},
      {"location_reason", "Doorstep 僅在本手機上使用您的位置：顯示您在哪裡，並記下在哪裡記錄了某戶。"},
      {"saving", "儲存中…"}, {"undo", "復原"}, {"undone", "已復原"}, {"correct", "更正"},
      {"correcting", "正在更正你的記錄"}, {"cancel_correct", "取消更正"}, {"corrected", "已更正"}, {"is_offline", "離線"}, {"send_now", "立即傳送"}, {"last_sync", "上次傳送"}, {"trouble_link", "連結已結束：請告訴組織者"},
      {"trouble_server", "伺服器出錯：正在重試"}, {"trouble_storage", "手機儲存空間已滿：尚未儲存。請釋放空間。"},
      {"load_offline", "你處於離線狀態。恢復連線後會立即下載門戶。"}, {"load_server", "暫時無法連線伺服器。正在重試…"},
      {"try_again", "重試"}, {"end_shift", "結束輪班"}, {"sum_doors", "已敲門戶"}, {"sum_contacts", "交談"},
      {"sum_signups", "登記"}, {"sum_support", "支持度"}, {"finish", "完成並從手機刪除"},
      {"finish_note", "完成後，本片區及其住戶資料將從手機刪除。"},
      {"finish_refused", "未完成：%s 筆記錄尚未傳送。請連線並點「立即傳送」，全部傳送後再完成。"},
      {"shift_finished", "輪班結束：全部已傳送並已從手機刪除。謝謝！"}, {"waiting", "筆未傳送"},
      {"other_tab", "Doorstep 已在另一個分頁中開啟。關閉那個分頁後，本頁將接手。"},
      // Display settings, the sandbox banners, the shift screens, turfs side by side (words that
      // read the same in both scripts, such as 文字大小, have no entry: the Simplified text serves).
      {"size_normal", "標準"}, {"high_contrast", "高對比度"}, {"practice_banner", "練習：不會儲存或傳送任何內容"},
      {"preview_banner", "預覽：不會儲存或傳送任何內容"}, {"name_title", "你叫什麼名字？"}, {"name_why", "會用在話術裡（「我是___」），也會附在你的記錄上。"},
      {"not_now", "以後再說"}, {"help_call", "打電話給組織者"}, {"help_meet", "集合地點"}, {"help_end", "輪班結束時間"},
      {"help_faq", "居民常問的問題"}, {"help_none", "組織者尚未為這次活動新增說明資訊。"}, {"help_unsafe", "如果感到不安全，請離開。你的安全最重要。"},
      {"search", "搜尋地址或姓名"}, {"search_clear", "清除搜尋"}, {"no_match", "沒有符合的門戶。"}, {"units", "單元"}, {"skip", "跳過"},
      {"skipped", "已跳過"}, {"go_next", "前往下一戶"}, {"all_done", "每一戶都有結果了。"}, {"unsafe", "離開：不安全"},
      {"script_in", "話術語言"}, {"age", "年齡"}, {"consent_text", "同意文字訊息"},
      {"practice", "練習"}, {"practice_start", "用虛構的門戶練習"}, {"practice_end", "結束練習"},
      {"package_size", "用手機數據下載你的門戶約需 %s。"}, {"download", "下載"}, {"other_turf_title", "本手機上已有另一個片區"},
      {"other_turf_ask", "你打開了一個新連結。請先完成這個片區，或把兩個都留在手機上，在「設定」中切換。"}, {"doors_left", "剩餘 %s 戶"},
      {"keep_both", "兩個都保留"}, {"turf_limit", "本手機已存有 %s 個片區，已達上限。請先完成其中一個。"}, {"turfs_here", "本手機上的片區"},
      {"turf_ended", "已結束的連結"}, {"finish_then_link", "完成後，你的新連結就會打開。"},
  };
  return t;
}

// column: the table's column (zh-Hant reads the Simplified one where hant() has no entry).
const std::vector<Language> kLanguages = {
    {"en", "English", "English", false},
    {"es", "Español", "Spanish", false},
    {"ko", "한국어", "Korean", true},
    {"zh-Hant", "繁體中文", "Chinese (Traditional)", true},
    {"zh-Hans", "简体中文", "Chinese (Simplified)", true},
    {"hy", "Հայերեն", "Armenian", false},
    {"tl", "Tagalog", "Tagalog", false},
};
size_t column_of(size_t lang) {
  static const size_t cols[] = {0, 1, 2, 3, 3, 4, 5};
  return cols[lang];
}
bool is_hant(size_t lang) { return lang == 3; }

// Older stored settings and campaigns say "zh": the Simplified forms the app had then.
std::string_view canonical(std::string_view code) { return code == "zh" ? std::string_view("zh-Hans") : code; }

size_t g_lang = 0;
std::string g_code = "en";
bool g_glyphs_pending = false;  // see set_glyphs_pending

}  // namespace

const std::vector<Language>& languages() { return kLanguages; }

void set_language(std::string_view code) {
  code = canonical(code);
  for (size_t i = 0; i < kLanguages.size(); ++i)
    if (code == kLanguages[i].code) {
      g_lang = i;
      g_code = kLanguages[i].code;
      return;
    }
}

const std::string& language() { return g_code; }

bool language_needs_cjk(std::string_view code) {
  code = canonical(code);
  if (code.rfind("zh", 0) == 0 || code.rfind("ja", 0) == 0) return true;  // any Chinese tag a campaign uses
  for (auto& l : kLanguages)
    if (code == l.code) return l.cjk;
  return false;
}

void set_glyphs_pending(bool pending) { g_glyphs_pending = pending; }

const char* tr(std::string_view key) {
  auto& t = table();
  auto it = t.find(key);
  if (it == t.end()) return "?";
  if (g_glyphs_pending) return it->second[0];
  if (is_hant(g_lang)) {
    auto h = hant().find(key);
    if (h != hant().end()) return h->second;
  }
  const char* s = it->second[column_of(g_lang)];
  return s && *s ? s : it->second[0];
}

std::string all_text(std::string_view code) {
  code = canonical(code);
  size_t li = 0;
  for (size_t i = 0; i < kLanguages.size(); ++i)
    if (code == kLanguages[i].code) li = i;
  std::string s;
  for (auto& [k, row] : table()) {
    s += row[0];  // the English fallback of strings not translated yet
    if (row[column_of(li)]) s += row[column_of(li)];
  }
  if (is_hant(li))
    for (auto& [k, v] : hant()) s += v;
  for (auto& l : kLanguages) s += std::string(l.english) + l.native;  // the language menu's names
  s += "0123456789#·…✓•→“”○◐×◇†?▤↻⚠↳—";  // digits and the panels' symbols
  return s;
}

std::vector<std::string_view> keys() {
  std::vector<std::string_view> k;
  for (auto& [key, row] : table()) k.push_back(key);
  return k;
}

std::string_view own_text(std::string_view key, std::string_view code) {
  code = canonical(code);
  auto it = table().find(key);
  if (it == table().end()) return "";
  for (size_t i = 0; i < kLanguages.size(); ++i) {
    if (code != kLanguages[i].code) continue;
    if (is_hant(i)) {
      auto h = hant().find(key);
      return h == hant().end() ? std::string_view() : std::string_view(h->second);
    }
    const char* s = it->second[column_of(i)];
    return s ? std::string_view(s) : std::string_view();
  }
  return "";
}

std::vector<std::string_view> hant_keys() {
  std::vector<std::string_view> k;
  for (auto& [key, text] : hant()) k.push_back(key);
  return k;
}

}  // namespace doorstep::i18n
