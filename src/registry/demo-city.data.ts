/**
 * Static data for the demo city generator (`abonent seed`): street and settlement names of Moscow, the
 * Moscow region and Yakutia, Russian names, management companies, principals and meter models. All of it
 * is illustrative: bank details are valid in format (and check digits) but belong to no real contract.
 * Every string here is written into PostgreSQL COPY text as is, so none may hold a tab, a newline or a
 * backslash (checked by the seed service at start-up).
 */

export const MOSCOW_STREETS: readonly string[] = [
  'ул. Профсоюзная', 'ул. Вавилова', 'Ленинский пр-т', 'ул. Обручева', 'ул. Гарибальди', 'ул. Академика Волгина',
  'ул. Новаторов', 'ул. Кржижановского', 'ул. Дмитрия Ульянова', 'ул. Губкина', 'ул. Винокурова', 'ул. Шверника',
  'ул. Малая Черкизовская', 'ул. Большая Черкизовская', 'Щёлковское ш.', 'ул. Уральская', 'ул. Сахалинская',
  'ул. Хабаровская', 'ул. Байкальская', 'ул. Первомайская', '9-я Парковая ул.', '13-я Парковая ул.',
  'Измайловский б-р', 'ул. Нижняя Первомайская', 'ул. Молостовых', 'ул. Новогиреевская', 'Свободный пр-т',
  'ул. Перовская', 'ул. Плющева', 'ул. Братская', 'Рязанский пр-т', 'ул. Ферганская', 'ул. Генерала Кузнецова',
  'ул. Авиаконструктора Миля', 'ул. Привольная', 'ул. Маршала Полубоярова', 'ул. Люблинская', 'ул. Краснодонская',
  'ул. Совхозная', 'ул. Братиславская', 'ул. Марьинский Парк', 'ул. Перерва', 'ул. Борисовские Пруды',
  'Каширское ш.', 'ул. Ясеневая', 'ул. Домодедовская', 'ул. Генерала Белова', 'Ореховый б-р', 'ул. Шипиловская',
  'ул. Кантемировская', 'ул. Пролетарский пр-т', 'ул. Бакинская', 'Варшавское ш.', 'ул. Чертановская',
  'ул. Днепропетровская', 'ул. Кировоградская', 'ул. Россошанская', 'Балаклавский пр-т', 'ул. Болотниковская',
  'ул. Каховка', 'Севастопольский пр-т', 'ул. Азовская', 'Нахимовский пр-т', 'ул. Херсонская',
  'ул. Новочерёмушкинская', 'ул. Цюрупы', 'ул. Намёткина', 'ул. Островитянова', 'ул. Миклухо-Маклая',
  'ул. Бутлерова', 'ул. Тёплый Стан', 'ул. Академика Варги', 'ул. Голубинская',
  'Новоясеневский пр-т', 'ул. Паустовского', 'ул. Инессы Арманд', 'ул. Айвазовского', 'ул. Вильнюсская',
  'ул. Кравченко', 'пр-т Вернадского', 'ул. Удальцова', 'ул. Лобачевского', 'Мичуринский пр-т', 'ул. Раменки',
  'ул. Коштоянца', 'ул. Нежинская', 'ул. Веерная', 'ул. Матвеевская', 'Аминьевское ш.', 'ул. Кременчугская',
  'ул. Говорова', 'ул. Наро-Фоминская', 'ул. Кубинка', 'ул. Богданова', 'Солнцевский пр-т', 'ул. Щорса',
  'Можайское ш.', 'ул. Ивана Франко', 'ул. Кастанаевская', 'ул. Ярцевская', 'ул. Бобруйская', 'ул. Молодогвардейская',
  'Рублёвское ш.', 'ул. Осенняя', 'ул. Крылатские Холмы', 'ул. Маршала Жукова', 'ул. Народного Ополчения',
  'ул. Берзарина', 'ул. Маршала Бирюзова', 'ул. Живописная', 'ул. Маршала Тухачевского', 'ул. Паршина',
  'ул. Таллинская', 'ул. Маршала Катукова', 'ул. Исаковского', 'ул. Твардовского', 'ул. Туристская',
  'ул. Свободы', 'Волоколамское ш.', 'ул. Вилиса Лациса', 'ул. Фомичёвой', 'ул. Героев Панфиловцев',
  'ул. Планерная', 'ул. Соколово-Мещерская', 'Ленинградское ш.', 'ул. Флотская', 'ул. Онежская',
  'ул. Клинская', 'ул. Зеленоградская', 'ул. Дыбенко', 'ул. Фестивальная', 'ул. Смольная', 'ул. Беломорская',
  'Коровинское ш.', 'ул. Дубнинская', 'ул. Пришвина', 'ул. Лескова', 'ул. Бибиревская', 'ул. Плещеева',
  'ул. Декабристов', 'ул. Отрадная', 'ул. Хачатуряна', 'ул. Римского-Корсакова', 'ул. Новгородская',
  'Алтуфьевское ш.', 'ул. Череповецкая', 'ул. Корнейчука', 'ул. Молодцова', 'Ясный пр.',
  'ул. Енисейская', 'ул. Менжинского', 'ул. Полярная', 'ул. Шокальского', 'ул. Осташковская', 'ул. Изумрудная',
  'ул. Ротерта', 'ул. Вешних Вод', 'ул. Сельскохозяйственная', 'ул. Бориса Галушкина', 'Ярославское ш.',
  'ул. Лётчика Бабушкина', 'ул. Бажова', 'ул. Амундсена', 'ул. Малыгина', 'ул. Широкая', 'Заревый пр.',
];

/** Settlements of the Moscow region (private houses): district, settlement with its type. */
export const MOSCOW_REGION_SETTLEMENTS: readonly { district: string; settlement: string; urban: boolean }[] = [
  { district: 'Одинцовский г.о.', settlement: 'д. Жуковка', urban: false },
  { district: 'Одинцовский г.о.', settlement: 'с. Немчиновка', urban: false },
  { district: 'Одинцовский г.о.', settlement: 'г. Звенигород', urban: true },
  { district: 'Одинцовский г.о.', settlement: 'д. Сколково', urban: false },
  { district: 'Истра г.о.', settlement: 'д. Павловская Слобода', urban: false },
  { district: 'Истра г.о.', settlement: 'д. Бужарово', urban: false },
  { district: 'Истра г.о.', settlement: 'г. Истра', urban: true },
  { district: 'Рузский г.о.', settlement: 'д. Нестерово', urban: false },
  { district: 'Рузский г.о.', settlement: 'р.п. Тучково', urban: true },
  { district: 'Можайский г.о.', settlement: 'с. Бородино', urban: false },
  { district: 'Можайский г.о.', settlement: 'д. Горетово', urban: false },
  { district: 'Наро-Фоминский г.о.', settlement: 'д. Плесенское', urban: false },
  { district: 'Наро-Фоминский г.о.', settlement: 'с. Атепцево', urban: false },
  { district: 'Наро-Фоминский г.о.', settlement: 'г. Апрелевка', urban: true },
  { district: 'Подольск г.о.', settlement: 'д. Жарково', urban: false },
  { district: 'Подольск г.о.', settlement: 'с. Дубровицы', urban: false },
  { district: 'Чехов г.о.', settlement: 'с. Мелихово', urban: false },
  { district: 'Чехов г.о.', settlement: 'д. Талеж', urban: false },
  { district: 'Серпухов г.о.', settlement: 'д. Лукьяново', urban: false },
  { district: 'Серпухов г.о.', settlement: 'с. Турово', urban: false },
  { district: 'Ступино г.о.', settlement: 'с. Старая Ситня', urban: false },
  { district: 'Ступино г.о.', settlement: 'р.п. Жилёво', urban: true },
  { district: 'Коломна г.о.', settlement: 'с. Непецино', urban: false },
  { district: 'Коломна г.о.', settlement: 'д. Сергиевка', urban: false },
  { district: 'Луховицы г.о.', settlement: 'с. Дединово', urban: false },
  { district: 'Раменский г.о.', settlement: 'с. Быково', urban: false },
  { district: 'Раменский г.о.', settlement: 'д. Островцы', urban: false },
  { district: 'Раменский г.о.', settlement: 'р.п. Удельная', urban: true },
  { district: 'Богородский г.о.', settlement: 'д. Тимково', urban: false },
  { district: 'Богородский г.о.', settlement: 'г. Старая Купавна', urban: true },
  { district: 'Павлово-Посадский г.о.', settlement: 'д. Грибанино', urban: false },
  { district: 'Орехово-Зуевский г.о.', settlement: 'с. Ильинский Погост', urban: false },
  { district: 'Шатура г.о.', settlement: 'д. Пустоша', urban: false },
  { district: 'Егорьевск г.о.', settlement: 'с. Починки', urban: false },
  { district: 'Щёлково г.о.', settlement: 'д. Медвежьи Озёра', urban: false },
  { district: 'Щёлково г.о.', settlement: 'р.п. Монино', urban: true },
  { district: 'Пушкинский г.о.', settlement: 'с. Тарасовка', urban: false },
  { district: 'Пушкинский г.о.', settlement: 'д. Листвяны', urban: false },
  { district: 'Сергиево-Посадский г.о.', settlement: 'с. Абрамцево', urban: false },
  { district: 'Сергиево-Посадский г.о.', settlement: 'д. Мишутино', urban: false },
  { district: 'Дмитровский г.о.', settlement: 'д. Ольгово', urban: false },
  { district: 'Дмитровский г.о.', settlement: 'с. Рогачёво', urban: false },
  { district: 'Дмитровский г.о.', settlement: 'г. Яхрома', urban: true },
  { district: 'Талдомский г.о.', settlement: 'д. Великий Двор', urban: false },
  { district: 'Клин г.о.', settlement: 'д. Борщево', urban: false },
  { district: 'Солнечногорск г.о.', settlement: 'д. Ложки', urban: false },
  { district: 'Солнечногорск г.о.', settlement: 'р.п. Андреевка', urban: true },
  { district: 'Химки г.о.', settlement: 'д. Елино', urban: false },
  { district: 'Красногорск г.о.', settlement: 'с. Петрово-Дальнее', urban: false },
  { district: 'Красногорск г.о.', settlement: 'д. Гольево', urban: false },
  { district: 'Ленинский г.о.', settlement: 'с. Остров', urban: false },
  { district: 'Ленинский г.о.', settlement: 'д. Мамоново', urban: false },
  { district: 'Домодедово г.о.', settlement: 'с. Ям', urban: false },
  { district: 'Домодедово г.о.', settlement: 'д. Гальчино', urban: false },
  { district: 'Волоколамский г.о.', settlement: 'с. Теряево', urban: false },
  { district: 'Лотошино г.о.', settlement: 'д. Ушаково', urban: false },
  { district: 'Зарайск г.о.', settlement: 'с. Чулки-Соколово', urban: false },
  { district: 'Кашира г.о.', settlement: 'с. Топканово', urban: false },
  { district: 'Серебряные Пруды г.о.', settlement: 'д. Узуново', urban: false },
  { district: 'Воскресенск г.о.', settlement: 'с. Константиново', urban: false },
];

/** Streets of villages and small towns (Moscow region and Yakutia alike). */
export const VILLAGE_STREETS: readonly string[] = [
  'ул. Центральная', 'ул. Садовая', 'ул. Лесная', 'ул. Полевая', 'ул. Школьная', 'ул. Речная', 'ул. Луговая',
  'ул. Зелёная', 'ул. Новая', 'ул. Молодёжная', 'ул. Советская', 'ул. Набережная', 'ул. Берёзовая',
  'ул. Сосновая', 'ул. Солнечная', 'ул. Мира', 'ул. Победы', 'ул. Колхозная', 'ул. Заречная', 'ул. Липовая',
  'ул. Дачная', 'ул. Озёрная', 'ул. Весенняя', 'ул. Вишнёвая', 'ул. Рябиновая', 'пер. Почтовый', 'пер. Клубный',
  'ул. Овражная', 'ул. Строителей', 'ул. Труда',
];

export const YAKUTSK_STREETS: readonly string[] = [
  'пр-т Ленина', 'ул. Кирова', 'ул. Орджоникидзе', 'ул. Лермонтова', 'ул. Петровского', 'ул. Ярославского',
  'ул. Курашова', 'ул. Дзержинского', 'ул. Каландаришвили', 'ул. Октябрьская', 'ул. Пояркова', 'ул. Свердлова',
  'ул. Кулаковского', 'ул. Аммосова', 'ул. Ойунского', 'ул. Белинского', 'ул. Халтурина', 'ул. Билибина',
  'ул. Лонгинова', 'ул. Пушкина', 'ул. Жорницкого', 'ул. Чернышевского',
  'ул. Петра Алексеева', 'ул. Расковой', 'ул. Короленко', 'ул. Богдана Чижика', 'ул. Ильменская',
  'ул. Чиряева', 'ул. Автодорожная', 'Покровский тракт', 'Вилюйский тракт', 'ул. Дежнёва', 'ул. Хабарова',
  'ул. Кальвица', 'ул. Можайского', 'ул. Губина', 'ул. Новопортовская', 'ул. Федора Попова', 'ул. Кузьмина',
  'ул. Пирогова', 'ул. Строда', 'ул. Кеши Алексеева', 'ул. Семёна Данилова', 'ул. Труда',
  'ул. Прокопьевская', 'ул. Лыткина', 'ул. Кржижановского',
];

export const YAKUTIA_SETTLEMENTS: readonly { district: string; settlement: string; urban: boolean }[] = [
  { district: 'Намский улус', settlement: 'с. Намцы', urban: false },
  { district: 'Намский улус', settlement: 'с. Хамагатта', urban: false },
  { district: 'Хангаласский улус', settlement: 'г. Покровск', urban: true },
  { district: 'Хангаласский улус', settlement: 'с. Октемцы', urban: false },
  { district: 'Мегино-Кангаласский улус', settlement: 'с. Майя', urban: false },
  { district: 'Мегино-Кангаласский улус', settlement: 'с. Нижний Бестях', urban: false },
  { district: 'Чурапчинский улус', settlement: 'с. Чурапча', urban: false },
  { district: 'Усть-Алданский улус', settlement: 'с. Борогонцы', urban: false },
  { district: 'Амгинский улус', settlement: 'с. Амга', urban: false },
  { district: 'Таттинский улус', settlement: 'с. Ытык-Кюёль', urban: false },
  { district: 'Вилюйский улус', settlement: 'г. Вилюйск', urban: true },
  { district: 'Нюрбинский район', settlement: 'г. Нюрба', urban: true },
  { district: 'Горный улус', settlement: 'с. Бердигестях', urban: false },
  { district: 'Кобяйский улус', settlement: 'п. Сангар', urban: false },
  { district: 'Алданский район', settlement: 'г. Алдан', urban: true },
  { district: 'Нерюнгринский район', settlement: 'г. Нерюнгри', urban: true },
  { district: 'Ленский район', settlement: 'г. Ленск', urban: true },
  { district: 'Олёкминский район', settlement: 'г. Олёкминск', urban: true },
  { district: 'Томпонский район', settlement: 'п. Хандыга', urban: false },
  { district: 'Верхневилюйский улус', settlement: 'с. Верхневилюйск', urban: false },
  { district: 'г.о. Жатай', settlement: 'п. Жатай', urban: true },
  { district: 'г.о. Якутск', settlement: 'с. Тулагино', urban: false },
  { district: 'г.о. Якутск', settlement: 'с. Хатассы', urban: false },
  { district: 'г.о. Якутск', settlement: 'с. Маган', urban: false },
];

export const MALE_FIRST_NAMES: readonly string[] = [
  'Александр', 'Алексей', 'Андрей', 'Антон', 'Артём', 'Борис', 'Вадим', 'Валерий', 'Василий', 'Виктор',
  'Владимир', 'Вячеслав', 'Геннадий', 'Георгий', 'Григорий', 'Денис', 'Дмитрий', 'Евгений', 'Егор', 'Иван',
  'Игорь', 'Илья', 'Кирилл', 'Константин', 'Леонид', 'Максим', 'Михаил', 'Никита', 'Николай', 'Олег',
  'Павел', 'Пётр', 'Роман', 'Руслан', 'Сергей', 'Станислав', 'Степан', 'Тимур', 'Фёдор', 'Юрий',
];

export const FEMALE_FIRST_NAMES: readonly string[] = [
  'Александра', 'Алина', 'Алла', 'Анастасия', 'Анна', 'Валентина', 'Валерия', 'Вера', 'Виктория', 'Галина',
  'Дарья', 'Евгения', 'Екатерина', 'Елена', 'Елизавета', 'Жанна', 'Зинаида', 'Зоя', 'Ирина', 'Карина',
  'Кристина', 'Ксения', 'Лариса', 'Любовь', 'Людмила', 'Маргарита', 'Марина', 'Мария', 'Надежда', 'Наталья',
  'Нина', 'Ольга', 'Полина', 'Раиса', 'Светлана', 'Софья', 'Тамара', 'Татьяна', 'Юлия', 'Яна',
];

/** Patronymics by father's name: [male form, female form]. */
export const PATRONYMICS: readonly (readonly [string, string])[] = [
  ['Александрович', 'Александровна'], ['Алексеевич', 'Алексеевна'], ['Анатольевич', 'Анатольевна'],
  ['Андреевич', 'Андреевна'], ['Борисович', 'Борисовна'], ['Валентинович', 'Валентиновна'],
  ['Валерьевич', 'Валерьевна'], ['Васильевич', 'Васильевна'], ['Викторович', 'Викторовна'],
  ['Владимирович', 'Владимировна'], ['Вячеславович', 'Вячеславовна'], ['Геннадьевич', 'Геннадьевна'],
  ['Георгиевич', 'Георгиевна'], ['Григорьевич', 'Григорьевна'], ['Дмитриевич', 'Дмитриевна'],
  ['Евгеньевич', 'Евгеньевна'], ['Иванович', 'Ивановна'], ['Игоревич', 'Игоревна'], ['Ильич', 'Ильинична'],
  ['Константинович', 'Константиновна'], ['Леонидович', 'Леонидовна'], ['Михайлович', 'Михайловна'],
  ['Николаевич', 'Николаевна'], ['Олегович', 'Олеговна'], ['Павлович', 'Павловна'], ['Петрович', 'Петровна'],
  ['Романович', 'Романовна'], ['Сергеевич', 'Сергеевна'], ['Степанович', 'Степановна'], ['Юрьевич', 'Юрьевна'],
];

/** Surnames in the male form; the female form follows the usual rules (see feminineSurname). */
export const SURNAMES: readonly string[] = [
  'Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Васильев', 'Петров', 'Соколов', 'Михайлов', 'Новиков', 'Фёдоров',
  'Морозов', 'Волков', 'Алексеев', 'Лебедев', 'Семёнов', 'Егоров', 'Павлов', 'Козлов', 'Степанов', 'Николаев',
  'Орлов', 'Андреев', 'Макаров', 'Никитин', 'Захаров', 'Зайцев', 'Соловьёв', 'Борисов', 'Яковлев', 'Григорьев',
  'Романов', 'Воробьёв', 'Сергеев', 'Кузьмин', 'Фролов', 'Александров', 'Дмитриев', 'Королёв', 'Гусев', 'Киселёв',
  'Ильин', 'Максимов', 'Поляков', 'Сорокин', 'Виноградов', 'Ковалёв', 'Белов', 'Медведев', 'Антонов', 'Тарасов',
  'Жуков', 'Баранов', 'Филиппов', 'Комаров', 'Давыдов', 'Беляев', 'Герасимов', 'Богданов', 'Осипов', 'Сидоров',
  'Матвеев', 'Титов', 'Марков', 'Миронов', 'Крылов', 'Куликов', 'Карпов', 'Власов', 'Мельников', 'Денисов',
  'Гаврилов', 'Тихонов', 'Казаков', 'Афанасьев', 'Данилов', 'Савельев', 'Тимофеев', 'Фомин', 'Чернов', 'Абрамов',
  'Мартынов', 'Ефимов', 'Федотов', 'Щербаков', 'Назаров', 'Калинин', 'Исаев', 'Чернышёв', 'Быков', 'Маслов',
  'Родионов', 'Коновалов', 'Лазарев', 'Воронин', 'Климов', 'Филатов', 'Пономарёв', 'Голубев', 'Кудрявцев', 'Прохоров',
  'Наумов', 'Потапов', 'Журавлёв', 'Овчинников', 'Трофимов', 'Леонов', 'Соболев', 'Ермаков', 'Колесников', 'Гончаров',
  'Емельянов', 'Никифоров', 'Грачёв', 'Котов', 'Гришин', 'Ефремов', 'Архипов', 'Громов', 'Кириллов', 'Малышев',
  'Панов', 'Моисеев', 'Румянцев', 'Акимов', 'Кондратьев', 'Бирюков', 'Горбунов', 'Анисимов', 'Ерёмин', 'Тихомиров',
  'Галкин', 'Лукьянов', 'Михеев', 'Скворцов', 'Юдин', 'Белоусов', 'Нестеров', 'Симонов', 'Прокофьев', 'Харитонов',
  'Князев', 'Цветков', 'Левин', 'Митрофанов', 'Воронов', 'Аксёнов', 'Софронов', 'Мальцев', 'Логинов', 'Горшков',
  'Савин', 'Краснов', 'Майоров', 'Демидов', 'Елисеев', 'Рыбаков', 'Сафонов', 'Плотников', 'Дёмин', 'Хохлов',
  'Жданов', 'Блинов', 'Сысоев', 'Мухин', 'Островский', 'Вишневский', 'Ковальский', 'Чайковский', 'Успенский',
  'Шевченко', 'Бондаренко', 'Коваленко', 'Ткаченко', 'Кравченко', 'Черных', 'Седых', 'Ковальчук', 'Мельничук',
  'Толстой', 'Трубецкой',
];

/** Surnames common in Yakutia (male form), mixed with SURNAMES for the Yakutian part of the city. */
export const YAKUTIA_SURNAMES: readonly string[] = [
  'Винокуров', 'Слепцов', 'Местников', 'Неустроев', 'Саввинов', 'Готовцев', 'Аммосов', 'Сивцев', 'Ощепков',
  'Колесов', 'Охлопков', 'Николаев', 'Захаров', 'Егоров', 'Попов', 'Петров', 'Иванов', 'Федоров', 'Григорьев',
  'Прокопьев', 'Павлов', 'Дьячковский', 'Кычкин', 'Находкин', 'Тарабукин', 'Эверстов', 'Гоголев', 'Олесов',
  'Посельский', 'Софронеев', 'Бурцев', 'Скрябин', 'Ефимов', 'Андросов', 'Кривошапкин', 'Шадрин', 'Борисов',
  'Васильев', 'Семёнов', 'Константинов', 'Евсеев', 'Собакин', 'Томский', 'Атласов', 'Жирков', 'Ноговицын',
];

/** The female form of a Russian surname: Иванов → Иванова, Островский → Островская, Шевченко stays. */
export function feminineSurname(male: string): string {
  if (/(ов|ев|ёв|ин|ын)$/.test(male)) return `${male}а`;
  if (/(ский|цкий)$/.test(male)) return `${male.slice(0, -2)}ая`;
  if (/ой$/.test(male)) return `${male.slice(0, -2)}ая`;
  return male;
}

export const EMAIL_DOMAINS: readonly string[] = [
  'mail.ru', 'mail.ru', 'yandex.ru', 'yandex.ru', 'ya.ru', 'gmail.com', 'bk.ru', 'inbox.ru', 'list.ru', 'rambler.ru',
];

const TRANSLIT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l',
  м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh',
  щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

/** Latin transliteration for e-mail addresses: 'Ёлкина' → 'elkina'. */
export function transliterate(text: string): string {
  let out = '';
  for (const ch of text.toLowerCase()) out += TRANSLIT[ch] ?? (/[a-z0-9]/.test(ch) ? ch : '');
  return out;
}

export interface DemoPrincipal {
  code: string;
  kind: 'supplier' | 'agent';
  name: string;
  inn: string;
  kpp: string;
  bankName: string;
  bic: string;
  personalAcc: string;
  correspAcc: string;
  phone: string;
  email: string;
  address: string;
}

/**
 * Illustrative principals. INN, KPP, BIC and the 20-digit accounts are valid in format and check digits
 * (the INN control digit; the account key against the BIC), so the payment QR (§12) can be exercised.
 */
export const DEMO_PRINCIPALS: readonly DemoPrincipal[] = [
  {
    code: 'demo-supplier-moscow',
    kind: 'supplier',
    name: 'АО «Мосэнергосбыт» (демо)',
    inn: '7701990013',
    kpp: '772801001',
    bankName: 'ПАО Сбербанк',
    bic: '044525225',
    personalAcc: '40702810938000000001',
    correspAcc: '30101810400000000225',
    phone: '+74959810981',
    email: 'demo@energosbyt.example',
    address: '117312, г. Москва, ул. Вавилова, д. 9 (демо)',
  },
  {
    code: 'demo-supplier-yakutia',
    kind: 'supplier',
    name: 'ПАО «Якутскэнерго» (демо)',
    inn: '1435990010',
    kpp: '143501001',
    bankName: 'Якутское отделение № 8603 ПАО Сбербанк',
    bic: '049805609',
    personalAcc: '40702810176000000001',
    correspAcc: '30101810400000000609',
    phone: '+74112490000',
    email: 'demo@yakutskenergo.example',
    address: '677009, г. Якутск, ул. Федора Попова, д. 14 (демо)',
  },
  {
    code: 'demo-agent',
    kind: 'agent',
    name: 'АО «МосОблЕИРЦ» (демо)',
    inn: '5037990018',
    kpp: '503701001',
    bankName: 'ПАО Сбербанк',
    bic: '044525225',
    personalAcc: '40702810940000000002',
    correspAcc: '30101810400000000225',
    phone: '+74955511111',
    email: 'demo@eirc.example',
    address: '143421, Московская обл., г.о. Красногорск, автодорога «Балтия», 26 км (демо)',
  },
];

export interface DemoManagementCompany {
  code: string;
  region: 'moscow' | 'yakutia';
  name: string;
  inn: string;
  phone: string;
}

export const DEMO_MANAGEMENT_COMPANIES: readonly DemoManagementCompany[] = [
  { code: 'demo-mc-01', region: 'moscow', name: 'ГБУ «Жилищник района Черёмушки» (демо)', inn: '7727990018', phone: '+74957180101' },
  { code: 'demo-mc-02', region: 'moscow', name: 'ГБУ «Жилищник района Гольяново» (демо)', inn: '7718990011', phone: '+74954610202' },
  { code: 'demo-mc-03', region: 'moscow', name: 'ГБУ «Жилищник района Марьино» (демо)', inn: '7723990017', phone: '+74953470303' },
  { code: 'demo-mc-04', region: 'moscow', name: 'ГБУ «Жилищник района Ясенево» (демо)', inn: '7728990010', phone: '+74954250404' },
  { code: 'demo-mc-05', region: 'moscow', name: 'ГБУ «Жилищник района Строгино» (демо)', inn: '7731990010', phone: '+74957580505' },
  { code: 'demo-mc-06', region: 'moscow', name: 'ГБУ «Жилищник Бабушкинского района» (демо)', inn: '7716990016', phone: '+74951840606' },
  { code: 'demo-mc-07', region: 'moscow', name: 'ООО «УК Комфорт-Сервис» (демо)', inn: '7705990014', phone: '+74952220707' },
  { code: 'demo-mc-08', region: 'moscow', name: 'ООО «УК Уютный дом» (демо)', inn: '7714990010', phone: '+74953330808' },
  { code: 'demo-mc-09', region: 'moscow', name: 'ООО «Городская управляющая компания» (демо)', inn: '7719990014', phone: '+74954440909' },
  { code: 'demo-mc-10', region: 'moscow', name: 'ТСЖ «Парковое» (демо)', inn: '7720990019', phone: '+74955551010' },
  { code: 'demo-mc-11', region: 'moscow', name: 'ЖСК «Энергетик» (демо)', inn: '7726990015', phone: '+74956661111' },
  { code: 'demo-mc-12', region: 'moscow', name: 'ООО «УК Новый квартал» (демо)', inn: '7701990006', phone: '+74957771212' },
  { code: 'demo-mc-13', region: 'yakutia', name: 'ООО «УК Жилстрой» (демо)', inn: '1435990041', phone: '+74112401313' },
  { code: 'demo-mc-14', region: 'yakutia', name: 'ООО «УК Сайсары» (демо)', inn: '1435990027', phone: '+74112411414' },
  { code: 'demo-mc-15', region: 'yakutia', name: 'МУП «Жилкомсервис» (демо)', inn: '1435990034', phone: '+74112421515' },
];

export interface MeterModel {
  name: string;
  /** Latin serial prefix (serials allow [A-Za-z0-9-] only). */
  serialPrefix: string;
  zones: readonly (1 | 2 | 3)[];
  digits: number;
  decimals: number;
  smart: boolean;
  /** Verification interval (межповерочный интервал) in years. */
  verificationYears: number;
  /** Years the model was installed; no `toYear` = still installed. */
  fromYear: number;
  toYear?: number;
}

/** Individual household meters (single-phase). */
export const INDIVIDUAL_METER_MODELS: readonly MeterModel[] = [
  { name: 'СО-505', serialPrefix: 'SO505-', zones: [1], digits: 5, decimals: 0, smart: false, verificationYears: 16, fromYear: 1996, toYear: 2010 },
  { name: 'ЦЭ6807П', serialPrefix: 'CE6807-', zones: [1], digits: 5, decimals: 1, smart: false, verificationYears: 16, fromYear: 2002, toYear: 2014 },
  { name: 'Меркурий 201.5', serialPrefix: 'M2015-', zones: [1], digits: 5, decimals: 1, smart: false, verificationYears: 16, fromYear: 2006, toYear: 2022 },
  { name: 'Меркурий 201.8', serialPrefix: 'M2018-', zones: [1], digits: 6, decimals: 1, smart: false, verificationYears: 16, fromYear: 2010 },
  { name: 'Энергомера СЕ101 R5', serialPrefix: 'CE101-', zones: [1], digits: 6, decimals: 0, smart: false, verificationYears: 16, fromYear: 2008 },
  { name: 'Нева 103 1SO', serialPrefix: 'NEVA103-', zones: [1], digits: 6, decimals: 1, smart: false, verificationYears: 16, fromYear: 2012 },
  { name: 'Меркурий 200.02', serialPrefix: 'M20002-', zones: [2, 3], digits: 6, decimals: 1, smart: false, verificationYears: 16, fromYear: 2006 },
  { name: 'Энергомера СЕ102 R5 145-A', serialPrefix: 'CE102-', zones: [2, 3], digits: 6, decimals: 1, smart: false, verificationYears: 16, fromYear: 2008 },
  { name: 'Нева МТ 114 AS', serialPrefix: 'NEVAMT-', zones: [2, 3], digits: 6, decimals: 0, smart: false, verificationYears: 16, fromYear: 2012 },
  { name: 'Меркурий 204 ARTMX2', serialPrefix: 'M204-', zones: [1, 2, 3], digits: 6, decimals: 1, smart: true, verificationYears: 16, fromYear: 2020 },
  { name: 'Энергомера СЕ208 S7', serialPrefix: 'CE208-', zones: [1, 2, 3], digits: 6, decimals: 1, smart: true, verificationYears: 16, fromYear: 2020 },
  { name: 'Милур 107S', serialPrefix: 'MILUR107-', zones: [1, 2, 3], digits: 6, decimals: 1, smart: true, verificationYears: 16, fromYear: 2020 },
  { name: 'Нартис-И100-SP1', serialPrefix: 'NARTIS-', zones: [1, 2, 3], digits: 6, decimals: 1, smart: true, verificationYears: 16, fromYear: 2021 },
];

/**
 * Common-house meters (three-phase, transformer-connected). They count a whole building, so they get 8
 * integer digits: the schema has no current-transformer ratio, and 6 digits would roll over within months.
 */
export const COMMON_METER_MODELS: readonly MeterModel[] = [
  { name: 'Меркурий 230 ART-03', serialPrefix: 'M230-', zones: [1, 2], digits: 8, decimals: 1, smart: false, verificationYears: 10, fromYear: 2012 },
  { name: 'Энергомера СЕ303 S31', serialPrefix: 'CE303-', zones: [1, 2], digits: 8, decimals: 1, smart: false, verificationYears: 10, fromYear: 2012 },
  { name: 'Меркурий 234 ART-03', serialPrefix: 'M234-', zones: [1, 2], digits: 8, decimals: 1, smart: true, verificationYears: 16, fromYear: 2019 },
];

/** Reasons a meter was found failed (§3: broken seals, no display, damage, error over limit). */
export const FAILURE_REASONS: readonly string[] = [
  'Нет индикации на дисплее',
  'Нарушена пломба',
  'Механическое повреждение корпуса',
  'Погрешность выше допустимой',
  'Счётный механизм не вращается',
];

export interface DemoTariff {
  region: 'moscow' | 'yakutia';
  category: 'gas_stove' | 'electric_stove' | 'rural' | 'equated';
  meterType: 'single' | 'two_zone' | 'three_zone';
  zone: 'single' | 'day' | 'night' | 'peak' | 'half_peak';
  priceKopecks: number;
}

export const DEMO_TARIFFS_FROM = '2025-07-01';

/** Gas-stove prices in kopecks per kWh by meter type and zone; Moscow H2 2025 as in domain.md E6. */
const GAS_STOVE_PRICES: Record<'moscow' | 'yakutia', readonly [DemoTariff['meterType'], DemoTariff['zone'], number][]> = {
  moscow: [
    ['single', 'single', 787],
    ['two_zone', 'day', 945],
    ['two_zone', 'night', 408],
    ['three_zone', 'peak', 1124],
    ['three_zone', 'half_peak', 787],
    ['three_zone', 'night', 408],
  ],
  // Illustrative values for Yakutia (not the regulator's).
  yakutia: [
    ['single', 'single', 612],
    ['two_zone', 'day', 735],
    ['two_zone', 'night', 360],
    ['three_zone', 'peak', 842],
    ['three_zone', 'half_peak', 612],
    ['three_zone', 'night', 360],
  ],
};

/** Electric stoves and rural settlements pay about 0.7 of the gas-stove price; 'equated' pays the same. */
const CATEGORY_FACTOR: Record<DemoTariff['category'], number> = {
  gas_stove: 1,
  equated: 1,
  electric_stove: 0.7,
  rural: 0.7,
};

export const DEMO_TARIFFS: readonly DemoTariff[] = (['moscow', 'yakutia'] as const).flatMap((region) =>
  (Object.keys(CATEGORY_FACTOR) as DemoTariff['category'][]).flatMap((category) =>
    GAS_STOVE_PRICES[region].map(([meterType, zone, price]) => ({
      region,
      category,
      meterType,
      zone,
      priceKopecks: Math.round(price * CATEGORY_FACTOR[category]),
    })),
  ),
);

export interface DemoNorm {
  region: 'moscow' | 'yakutia';
  stoveType: 'gas' | 'electric';
  rooms: number;
  residents: number;
  whPerPerson: number;
}

export const DEMO_NORMS_FROM = '2017-06-01';

/**
 * Illustrative norms, Wh per person per month, rows = rooms 1..4 (4 = "4 or more"), columns = residents
 * 1..5 (5 = "5 or more"). Moscow gas stove, 1–2 rooms: 2 residents 74 kWh (E2), 3 residents 60 kWh (E3).
 */
const NORM_TABLES: Record<'moscow' | 'yakutia', Record<'gas' | 'electric', readonly (readonly number[])[]>> = {
  moscow: {
    gas: [
      [118_000, 74_000, 60_000, 49_000, 43_000],
      [118_000, 74_000, 60_000, 49_000, 43_000],
      [127_000, 80_000, 65_000, 53_000, 46_000],
      [136_000, 85_000, 69_000, 56_000, 49_000],
    ],
    electric: [
      [168_000, 104_000, 84_000, 68_000, 60_000],
      [168_000, 104_000, 84_000, 68_000, 60_000],
      [181_000, 112_000, 91_000, 73_000, 65_000],
      [193_000, 120_000, 97_000, 78_000, 69_000],
    ],
  },
  yakutia: {
    gas: [
      [130_000, 81_000, 66_000, 54_000, 47_000],
      [130_000, 81_000, 66_000, 54_000, 47_000],
      [140_000, 88_000, 72_000, 58_000, 51_000],
      [150_000, 94_000, 76_000, 62_000, 54_000],
    ],
    electric: [
      [202_000, 125_000, 101_000, 82_000, 72_000],
      [202_000, 125_000, 101_000, 82_000, 72_000],
      [217_000, 134_000, 109_000, 88_000, 78_000],
      [232_000, 144_000, 116_000, 94_000, 83_000],
    ],
  },
};

export const DEMO_NORMS: readonly DemoNorm[] = (['moscow', 'yakutia'] as const).flatMap((region) =>
  (['gas', 'electric'] as const).flatMap((stoveType) =>
    NORM_TABLES[region][stoveType].flatMap((row, r) =>
      row.map((whPerPerson, i) => ({ region, stoveType, rooms: r + 1, residents: i + 1, whPerPerson })),
    ),
  ),
);

/** Common-needs norm (§7), Wh per m² of common property per month; Moscow 0.683 kWh/m² as in E4. */
export const DEMO_COMMON_NORMS: readonly { region: 'moscow' | 'yakutia'; whPerM2: number }[] = [
  { region: 'moscow', whPerM2: 683 },
  { region: 'yakutia', whPerM2: 1_020 },
];
