// The story `postdesk demo` plays: who takes part, what they write, and when (minutes before the end
// of the story, which is now — so that `postdesk sla` and `tickets show` afterwards read naturally).

/** The whole setup of the demo desk: exactly these two variables, nothing else configured. */
export const DEMO_ENVIRONMENT = {
  POSTDESK_ADDRESS: 'support@example.com',
  POSTDESK_AGENTS: 'Ann Lee <ann@example.com>',
};

export const AGENT = 'Ann Lee <ann@example.com>';

export interface ScriptedMail {
  from: string;
  subject?: string;
  text: string;
  minutesAgo: number;
}

export const CUSTOMER_MAILS: ScriptedMail[] = [
  {
    from: 'Carol Smith <carol@customer.example>',
    subject: 'Air filter shows a red light',
    text: 'Hello,\n\nmy air purifier shows a red light next to the filter icon since this morning.\nI replaced the filter last month. What should I do?\n\nCarol',
    minutesAgo: 120,
  },
  {
    from: '王芳 <wang.fang@customer.example>',
    subject: '换了新滤网，指示灯还是红色',
    text: '您好，\n\n我的空气净化器换了新滤网以后，滤网指示灯还是一直亮着红灯。请问怎么重置？\n\n谢谢，\n王芳',
    minutesAgo: 115,
  },
];

/** Ann answers the first ticket by pressing Reply on its notification; the first line is a command. */
export const AGENT_REPLY: ScriptedMail = {
  from: AGENT,
  text: '#priority high\n\nHi Carol,\n\nplease hold the filter button for five seconds until the light blinks:\nthat resets the filter timer, which a new filter does not do by itself.\n\nAnn',
  minutesAgo: 90,
};

/** Carol answers the relayed reply by pressing Reply in her mail client. */
export const FOLLOW_UP: ScriptedMail = {
  from: CUSTOMER_MAILS[0].from,
  text: 'That worked, the light is off now. Thank you!\n\nCarol',
  minutesAgo: 30,
};

/** The story starts this long before it ends. */
export const STORY_MINUTES = CUSTOMER_MAILS[0].minutesAgo;
