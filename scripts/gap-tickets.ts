// A generated set of first messages with known groups, for measuring `postdesk faq gaps`
// (scripts/eval-gaps.ts) and for its end-to-end test: 8 questions the sample FAQ does not answer,
// each asked in English and in Chinese in varied words (each subject and question phrased by hand,
// combined at random with greetings, context and closings), plus one-off questions (noise) and
// questions the FAQ does answer (which must not count as gaps).
// The topic of a mail is its known group; English and Chinese askings of a topic are separate
// groups, as nothing translates between the languages.

export type GapLanguage = 'en' | 'zh';

export interface GeneratedTicket {
  subject: string;
  body: string;
  language: GapLanguage;
  /** `<topic>/<language>` for a gap topic, `noise/<n>` for a one-off, `answered/<slug>` for a question the FAQ answers. */
  label: string;
}

interface Phrasings {
  subjects: string[];
  questions: string[];
}

export const GAP_TOPICS: Record<string, Record<GapLanguage, Phrasings>> = {
  voltage: {
    en: {
      subjects: ['Using the purifier abroad', 'Voltage question', '110V or 220V?', 'Travel adapter for the purifier'],
      questions: [
        'Can I plug the purifier into a 110 volt socket when I move to the US?',
        'Does the unit work on 220V mains, or only on 120 volts?',
        'I am moving to Japan, will my purifier run on their voltage with just a plug adapter?',
        'Is the power supply dual voltage, or do I need a voltage converter abroad?',
        'What voltage does the purifier need? Our sockets here are 230 volts.',
        'Will a simple travel plug adapter be enough to use the purifier in Europe, voltage-wise?',
      ],
    },
    zh: {
      subjects: ['出国使用的电压问题', '净化器支持110V吗', '电压和插头转换', '带到国外能用吗'],
      questions: [
        '我要搬去美国，净化器能直接插110伏的插座吗？',
        '这台机器支持220伏以外的电压吗？',
        '带去日本用的话，只用插头转换器可以吗，电压会不会不对？',
        '电源是宽电压的吗？出国需要另外买变压器吗？',
        '请问净化器的额定电压是多少？国外的插座是110伏的。',
        '在欧洲用需要变压器还是只要转换插头就行？',
      ],
    },
  },
  smell: {
    en: {
      subjects: ['Strange smell', 'Burning smell from the unit', 'Purifier smells like plastic', 'Bad odour when running'],
      questions: [
        'The purifier gives off a burning smell when it runs on high, is that normal?',
        'There is a strong plastic odour coming out of the vents since yesterday.',
        'My unit smells like something is burning, should I stop using it?',
        'It has a weird chemical smell whenever I switch it on.',
        'The air coming out smells of burnt plastic, is it safe?',
        'Why does the purifier stink like hot plastic after an hour of running?',
      ],
    },
    zh: {
      subjects: ['有异味', '净化器有烧焦味', '机器有塑料味', '开机后有怪味'],
      questions: [
        '净化器开到高档的时候有一股烧焦的味道，正常吗？',
        '从昨天开始出风口有很重的塑料味。',
        '机器闻起来像什么东西烧着了，还能继续用吗？',
        '每次一开机就有一股刺鼻的化学味道。',
        '吹出来的风有烧焦塑料的味道，安全吗？',
        '用了一个小时以后机器就有股热塑料的臭味，为什么？',
      ],
    },
  },
  student: {
    en: {
      subjects: ['Student discount?', 'Discount for students', 'Education pricing', 'University student offer'],
      questions: [
        'Do you offer a student discount on the purifier?',
        'I am a university student, is there any education pricing?',
        'Is there a special offer for students with a valid student card?',
        'Can students get a reduced price if they verify with their school email?',
        'Any discount codes for college students?',
        'Do you give students a discount, and how do I prove I am enrolled?',
      ],
    },
    zh: {
      subjects: ['学生有优惠吗', '学生折扣', '教育优惠', '在校学生购买'],
      questions: [
        '请问学生购买净化器有折扣吗？',
        '我是大学生，有没有教育优惠价？',
        '凭学生证可以享受优惠吗？',
        '用学校邮箱验证能打折吗？',
        '有没有给在校学生的优惠码？',
        '学生买有优惠吗？需要提供什么证明？',
      ],
    },
  },
  remote: {
    en: {
      subjects: ['Lost the remote control', 'Remote not working', 'Replacement remote', 'Remote control battery'],
      questions: [
        'I lost the remote control, can I buy a new remote separately?',
        'The remote has stopped responding even with new batteries.',
        'Where can I order a replacement remote for my purifier?',
        'Which battery does the remote control take? It seems dead.',
        'My dog chewed the remote, do you sell spare remotes?',
        'Pressing the buttons on the remote does nothing any more.',
      ],
    },
    zh: {
      subjects: ['遥控器丢了', '遥控器没反应', '买新的遥控器', '遥控器电池'],
      questions: [
        '遥控器弄丢了，可以单独买一个新的遥控器吗？',
        '换了新电池遥控器还是没有反应。',
        '在哪里可以买到净化器的替换遥控器？',
        '遥控器用的是什么型号的电池？好像没电了。',
        '遥控器被狗咬坏了，你们卖备用遥控器吗？',
        '按遥控器上的按键已经没有任何反应了。',
      ],
    },
  },
  display: {
    en: {
      subjects: ['Display too bright at night', 'Can I dim the screen?', 'Bright lights in the bedroom', 'Turn off the display'],
      questions: [
        'The display is far too bright in the bedroom at night, can I dim it?',
        'Is there a way to switch off the screen lights while sleeping?',
        'The glowing numbers keep me awake, how do I turn the display brightness down?',
        'Can the front panel light be turned off completely at night?',
        'The screen lights up the whole room at night, any dark setting?',
        'How do I make the display darker so it does not disturb my sleep?',
      ],
    },
    zh: {
      subjects: ['晚上屏幕太亮', '显示屏能调暗吗', '卧室里灯光太亮', '关闭显示屏'],
      questions: [
        '晚上在卧室里显示屏太亮了，可以调暗吗？',
        '睡觉的时候能不能把屏幕的灯关掉？',
        '屏幕上发光的数字让我睡不着，怎么调低亮度？',
        '前面板的灯晚上能完全关掉吗？',
        '夜里屏幕把整个房间都照亮了，有没有熄屏模式？',
        '怎样让显示屏暗一点，不影响睡眠？',
      ],
    },
  },
  crash: {
    en: {
      subjects: ['App crashes on start', 'The app keeps closing', 'App crash after update', 'Cannot open the app'],
      questions: [
        'The app crashes as soon as I open it on my phone.',
        'Since the latest update the app closes itself immediately after launch.',
        'Every time I start the app it freezes and then quits.',
        'The mobile app keeps crashing on the splash screen, I reinstalled it already.',
        'Your app shuts down right after opening, on both my tablet and my phone.',
        'Why does the app crash the moment it starts?',
      ],
    },
    zh: {
      subjects: ['App打开就闪退', 'App一直闪退', '更新后App崩溃', 'App打不开'],
      questions: [
        '手机上的App一打开就闪退。',
        '最近一次更新以后，App启动后马上自己关掉了。',
        '每次启动App都会卡住然后退出。',
        'App一直在启动页面崩溃，我已经重新安装过了。',
        '你们的App打开就闪退，平板和手机都一样。',
        '为什么App一启动就崩溃？',
      ],
    },
  },
  gift: {
    en: {
      subjects: ['Gift wrapping', 'Sending it as a present', 'Gift message', 'Order as a gift'],
      questions: [
        'Can you gift wrap the purifier and add a card with a message?',
        'I want to send it as a birthday present, is gift wrapping available?',
        'Is it possible to ship directly to my mother as a gift, without the price on the packing slip?',
        'Do you offer gift packaging with a personal note?',
        'How do I add a gift message to my order?',
        'Can the parcel be wrapped as a present for a friend?',
      ],
    },
    zh: {
      subjects: ['礼品包装', '作为礼物送人', '礼物贺卡', '送礼下单'],
      questions: [
        '可以帮忙做礼品包装，再附一张写祝福的贺卡吗？',
        '我想把它当生日礼物送人，有礼品包装吗？',
        '能直接寄给我妈妈当礼物吗？发货单上不要显示价格。',
        '你们提供带留言卡的礼盒包装吗？',
        '下单的时候怎么添加礼物留言？',
        '包裹可以包装成礼物送给朋友吗？',
      ],
    },
  },
  cable: {
    en: {
      subjects: ['Power cable too short', 'Lost the power cord', 'Extension cord?', 'Spare power cable'],
      questions: [
        'The power cord is too short to reach the socket, can I use an extension cable?',
        'We lost the power cable during the move, where can I buy a spare cord?',
        'Is it safe to run the purifier on an extension lead?',
        'Do you sell a longer power cable for the unit?',
        'The cable has a kink and the plug gets loose, can I get a replacement cord?',
        'What kind of power cord does it use? Ours went missing.',
      ],
    },
    zh: {
      subjects: ['电源线太短', '电源线丢了', '能用插线板吗', '备用电源线'],
      questions: [
        '电源线太短够不着插座，可以接插线板吗？',
        '搬家的时候电源线弄丢了，在哪里能买到备用的电源线？',
        '净化器接在延长线上用安全吗？',
        '你们有卖更长一点的电源线吗？',
        '电源线折了，插头也松了，能换一根新的线吗？',
        '它用的是什么规格的电源线？我们的找不到了。',
      ],
    },
  },
};

/** One-off questions: each its own group. */
export const NOISE: Record<GapLanguage, string[]> = {
  en: [
    'Do you have a shop in Lisbon where I can see the purifier?',
    'Are you hiring customer service staff?',
    'Can I pay by bank transfer in instalments over twelve months?',
    'Is the packaging recyclable cardboard or foam?',
    'Who designed the housing? It looks great.',
    'Could you sponsor our school charity raffle?',
    'Do you publish a sustainability report?',
    'Is the manual available in Braille?',
    'Can I visit your factory?',
    'Will there be a black colour version next year?',
  ],
  zh: [
    '你们在成都有线下门店可以看样机吗？',
    '公司在招聘客服吗？',
    '可以分十二期银行转账付款吗？',
    '包装盒是可回收的纸板吗？',
    '外观是谁设计的？很好看。',
    '能赞助我们学校的慈善义卖吗？',
    '你们会发布可持续发展报告吗？',
    '说明书有盲文版本吗？',
    '可以去你们工厂参观吗？',
    '明年会出黑色款吗？',
  ],
};

/** Questions the sample FAQ answers (by slug): they must not be taken for gaps. */
export const ANSWERED: Record<GapLanguage, [string, string][]> = {
  en: [
    ['reset-password', 'How do I reset my password? I forgot it and cannot sign in.'],
    ['track-order', 'Where is my order? I would like to track my parcel.'],
    ['replace-filter', 'How do I replace the filter in my purifier?'],
    ['cancel-filter-plan', 'How can I cancel my filter plan subscription?'],
  ],
  zh: [
    ['reset-password', '忘记密码了，怎么重置密码？'],
    ['track-order', '我的订单到哪了？想查一下快递。'],
    ['replace-filter', '怎么更换净化器的滤网？'],
    ['cancel-filter-plan', '怎么取消滤网订阅计划？'],
  ],
};

const GREETINGS: Record<GapLanguage, string[]> = {
  en: ['Hi,', 'Hello,', 'Hello support team,', 'Dear Nimbus,', 'Hi there,', ''],
  zh: ['你好，', '您好，', '客服你好，', '你好客服，', ''],
};
const CONTEXT: Record<GapLanguage, string[]> = {
  en: ['I bought the Nimbus Air last month.', 'We have had the purifier for about a year.', 'My partner ordered it for our flat.', '', ''],
  zh: ['我上个月买了Nimbus Air。', '我们家用这台净化器快一年了。', '是我爱人下单买的。', '', ''],
};
const CLOSINGS: Record<GapLanguage, string[]> = {
  en: ['Thanks in advance!', 'Thank you,\nSam', 'Best regards', 'Thanks for your help.', ''],
  zh: ['先谢谢了！', '谢谢！', '麻烦尽快回复，谢谢。', '期待回复。', ''],
};

/** mulberry32: a small seeded generator, so a seed always gives the same set. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GenerateOptions {
  seed: number;
  /** Tickets per topic and language. */
  perTopic: number;
  /** One-off questions per language (at most NOISE's length). */
  noise: number;
  /** Answered questions per language (at most ANSWERED's length). */
  answered: number;
}

/** The set, shuffled. */
export function generateGapTickets(options: GenerateOptions): GeneratedTicket[] {
  const random = seededRandom(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const join = (language: GapLanguage, parts: string[]) => parts.filter(Boolean).join(language === 'en' ? ' ' : '');
  const body = (language: GapLanguage, question: string) =>
    [join(language, [pick(GREETINGS[language]), pick(CONTEXT[language]), question]), pick(CLOSINGS[language])].filter(Boolean).join('\n\n');
  const tickets: GeneratedTicket[] = [];
  for (const language of ['en', 'zh'] as const) {
    for (const [topic, phrasings] of Object.entries(GAP_TOPICS)) {
      const { subjects, questions } = phrasings[language];
      for (let i = 0; i < options.perTopic; i++) {
        tickets.push({ subject: pick(subjects), body: body(language, questions[i % questions.length]), language, label: `${topic}/${language}` });
      }
    }
    NOISE[language].slice(0, options.noise).forEach((question, i) => {
      tickets.push({ subject: question, body: body(language, question), language, label: `noise/${language}-${i}` });
    });
    for (const [slug, question] of ANSWERED[language].slice(0, options.answered)) {
      tickets.push({ subject: question, body: body(language, question), language, label: `answered/${slug}` });
    }
  }
  // Fisher–Yates, so that no method can lean on the order.
  for (let i = tickets.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [tickets[i], tickets[j]] = [tickets[j], tickets[i]];
  }
  return tickets;
}
