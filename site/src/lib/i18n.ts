// The interface text every help center shares, in English and Chinese. The brand (name,
// description, stage blurbs, category names) comes from the FAQ directory's site.json (site.ts);
// this module is also imported by the browser script, so it reads no files.
import type { Locale, Stage } from '../../../src/search/faq-schema.ts';

export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', zh: '中文' };
export const HTML_LANG: Record<Locale, string> = { en: 'en', zh: 'zh-Hans' };

export interface StageText {
  name: string;
  /** How the visitor would describe themselves on the home page. */
  prompt: string;
  /** What the stage covers; from site.json, none by default. */
  description?: string;
}

export interface ChromeText {
  /** Used when site.json names no site. */
  siteName: string;
  siteDescription: string;
  homeTitle: string;
  homeLead: string;
  stageQuestion: string;
  stages: Record<Stage, StageText>;
  home: string;
  contents: string;
  contentsTitle: string;
  contentsDescription: (siteName: string) => string;
  contentsNoScript: string;
  searchLabel: string;
  searchPlaceholder: string;
  searchButton: string;
  searchHint: string;
  /** Templates filled in the browser: {n} = number of answers, {q} = the query. */
  searchResultCount: string;
  searchNoResults: string;
  stageQuestionCount: (n: number) => string;
  updated: string;
  related: string;
  backToContents: string;
  backToTop: string;
  stillNeedHelp: string;
  emailUs: string;
  mailBody: (question: string, url: string) => string;
  feedbackQuestion: string;
  feedbackYes: string;
  feedbackNo: string;
  feedbackHint: string;
  languageSwitch: string;
  breadcrumb: string;
  skipToContent: string;
  mostAsked: string;
  recentlyUpdated: string;
  allInCategory: (n: number) => string;
  themeSwitch: string;
  notFoundTitle: string;
  notFoundLead: string;
  otherLanguages: string;
}

export const CHROME: Record<Locale, ChromeText> = {
  en: {
    siteName: 'Help Center',
    siteDescription: 'Answers to the questions customers ask most.',
    homeTitle: 'How can we help?',
    homeLead: 'Search, or tell us where you are and we will show the questions people like you ask most.',
    stageQuestion: 'Where are you?',
    stages: {
      prospect: { name: 'Thinking about buying', prompt: 'I am thinking about buying' },
      new: { name: 'Just started', prompt: 'I have just started' },
      existing: { name: 'Long-time customer', prompt: 'I have had it a while' },
    },
    home: 'Help center',
    contents: 'All questions',
    contentsTitle: 'All questions',
    contentsDescription: (siteName) => `Every question in the ${siteName}, by stage and topic.`,
    contentsNoScript: 'Use your browser’s find (Ctrl+F or ⌘F) to look for a word on this page.',
    searchLabel: 'Search the help center',
    searchPlaceholder: 'e.g. reset password',
    searchButton: 'Search',
    searchHint: 'Results appear as you type. Use the arrow keys to move through them, Enter to open, Esc to close.',
    searchResultCount: 'Answers found: {n}',
    searchNoResults: 'No answers found for “{q}”.',
    stageQuestionCount: (n) => `${n} questions`,
    updated: 'Last updated',
    related: 'Related questions',
    backToContents: 'Back to all questions',
    backToTop: 'Back to top',
    stillNeedHelp: 'Still need help?',
    emailUs: 'Email us',
    mailBody: (question, url) => `Hello,\n\nI read “${question}” (${url}) but I still need help:\n\n`,
    feedbackQuestion: 'Did this answer your question?',
    feedbackYes: 'Yes',
    feedbackNo: 'No',
    feedbackHint: 'Each opens a short mail to us; send it as it is. With “No” you may say what you were looking for, and we will answer.',
    languageSwitch: 'Language',
    breadcrumb: 'Breadcrumb',
    skipToContent: 'Skip to content',
    mostAsked: 'Most asked',
    recentlyUpdated: 'Recently updated',
    allInCategory: (n) => `${n} questions`,
    themeSwitch: 'Dark theme',
    notFoundTitle: 'Page not found',
    notFoundLead: 'There is no page at this address. Search for your question, or start from the help center’s home page.',
    otherLanguages: 'Other languages',
  },
  zh: {
    siteName: '帮助中心',
    siteDescription: '客户最常问的问题的解答。',
    homeTitle: '有什么可以帮你？',
    homeLead: '直接搜索，或者告诉我们你处在哪个阶段，我们会列出和你情况相同的用户最常问的问题。',
    stageQuestion: '你现在处于哪个阶段？',
    stages: {
      prospect: { name: '考虑购买', prompt: '我正在考虑购买' },
      new: { name: '刚开始使用', prompt: '我刚开始使用' },
      existing: { name: '老用户', prompt: '我已经用了一段时间' },
    },
    home: '帮助中心',
    contents: '全部问题',
    contentsTitle: '全部问题',
    contentsDescription: (siteName) => `${siteName}的全部问题，按阶段和主题排列。`,
    contentsNoScript: '可以用浏览器的查找功能（Ctrl+F 或 ⌘F）在本页查找关键词。',
    searchLabel: '搜索帮助中心',
    searchPlaceholder: '例如：忘记密码',
    searchButton: '搜索',
    searchHint: '输入时即显示结果。用方向键选择，回车打开，Esc 关闭。',
    searchResultCount: '找到 {n} 个答案',
    searchNoResults: '没有找到与“{q}”相关的答案。',
    stageQuestionCount: (n) => `${n} 个问题`,
    updated: '最后更新',
    related: '相关问题',
    backToContents: '返回全部问题',
    backToTop: '回到顶部',
    stillNeedHelp: '还需要帮助？',
    emailUs: '给我们发邮件',
    mailBody: (question, url) => `你好：\n\n我看了“${question}”（${url}），但还需要帮助：\n\n`,
    feedbackQuestion: '这个回答解决你的问题了吗？',
    feedbackYes: '解决了',
    feedbackNo: '没有',
    feedbackHint: '点击会打开一封发给我们的短邮件，直接发送即可。选择“没有”时可以写下你想找的内容，我们会回复你。',
    languageSwitch: '语言',
    breadcrumb: '导航路径',
    skipToContent: '跳到正文',
    mostAsked: '最常问',
    recentlyUpdated: '最近更新',
    allInCategory: (n) => `${n} 个问题`,
    themeSwitch: '深色模式',
    notFoundTitle: '找不到页面',
    notFoundLead: '这个地址没有页面。可以搜索你的问题，或者从帮助中心首页开始。',
    otherLanguages: '其他语言',
  },
};
