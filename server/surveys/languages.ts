/**
 * Languages of the kiosk page: each language's own name (shown on its button), its writing
 * direction, the SurveyJS translation file of its navigation buttons, and the few strings
 * of the kiosk's own screens. Question texts come from the survey definition itself.
 */

export interface KioskStrings {
  language: string;
  anonymous: string;
  finishPrompt: string;
  finish: string;
  continue: string;
  submit: string;
  thanks: string;
  thanksDetail: string;
  idleTitle: string;
  /** `{s}` is replaced by the seconds left. */
  idleText: string;
  idleContinue: string;
  paused: string;
  disabled: string;
}

interface Language {
  name: string;
  dir: 'ltr' | 'rtl';
  /** File under /vendor/survey-core/i18n/ (without .min.js). */
  surveyI18n?: string;
  strings?: KioskStrings;
}

const LANGUAGES: Record<string, Language> = {
  fr: {
    name: 'Français', dir: 'ltr', surveyI18n: 'french',
    strings: {
      language: 'Langue', anonymous: 'Questionnaire anonyme',
      finishPrompt: 'Merci\u202f! Vous pouvez vous arrêter là, ou répondre à quelques questions de plus.',
      finish: 'Terminer', continue: 'Continuer', submit: 'Valider',
      thanks: 'Merci pour votre avis\u202f!', thanksDetail: 'Votre réponse est enregistrée, de façon anonyme.',
      idleTitle: 'Êtes-vous toujours là\u202f?', idleText: 'Le questionnaire va recommencer dans {s} secondes.', idleContinue: 'Je continue',
      paused: 'Cette borne est momentanément indisponible. Merci de votre compréhension.',
      disabled: 'Cette borne n’est plus en service.',
    },
  },
  en: {
    name: 'English', dir: 'ltr', surveyI18n: 'english',
    strings: {
      language: 'Language', anonymous: 'Anonymous questionnaire',
      finishPrompt: 'Thank you! You can stop here, or answer a few more questions.',
      finish: 'Finish', continue: 'Continue', submit: 'Submit',
      thanks: 'Thank you for your feedback!', thanksDetail: 'Your answer has been recorded anonymously.',
      idleTitle: 'Are you still there?', idleText: 'The questionnaire will start again in {s} seconds.', idleContinue: 'I am still here',
      paused: 'This kiosk is temporarily unavailable. Thank you for your understanding.',
      disabled: 'This kiosk is no longer in service.',
    },
  },
  es: {
    name: 'Español', dir: 'ltr', surveyI18n: 'spanish',
    strings: {
      language: 'Idioma', anonymous: 'Cuestionario anónimo',
      finishPrompt: '¡Gracias! Puede terminar aquí o responder a algunas preguntas más.',
      finish: 'Terminar', continue: 'Continuar', submit: 'Enviar',
      thanks: '¡Gracias por su opinión!', thanksDetail: 'Su respuesta se ha registrado de forma anónima.',
      idleTitle: '¿Sigue ahí?', idleText: 'El cuestionario volverá a empezar en {s} segundos.', idleContinue: 'Sigo aquí',
      paused: 'Este terminal no está disponible por el momento. Gracias por su comprensión.',
      disabled: 'Este terminal ya no está en servicio.',
    },
  },
  ar: {
    name: 'العربية', dir: 'rtl', surveyI18n: 'arabic',
    strings: {
      language: 'اللغة', anonymous: 'استبيان مجهول الهوية',
      finishPrompt: 'شكرًا! يمكنك التوقف هنا، أو الإجابة عن بعض الأسئلة الإضافية.',
      finish: 'إنهاء', continue: 'متابعة', submit: 'إرسال',
      thanks: 'شكرًا على رأيك!', thanksDetail: 'تم تسجيل إجابتك دون الكشف عن هويتك.',
      idleTitle: 'هل ما زلت هنا؟', idleText: 'سيبدأ الاستبيان من جديد خلال {s} ثانية.', idleContinue: 'ما زلت هنا',
      paused: 'هذا الجهاز غير متاح مؤقتًا. شكرًا على تفهمك.',
      disabled: 'هذا الجهاز لم يعد في الخدمة.',
    },
  },
  pt: {
    name: 'Português', dir: 'ltr', surveyI18n: 'portuguese',
    strings: {
      language: 'Idioma', anonymous: 'Questionário anónimo',
      finishPrompt: 'Obrigado! Pode terminar aqui ou responder a mais algumas perguntas.',
      finish: 'Terminar', continue: 'Continuar', submit: 'Enviar',
      thanks: 'Obrigado pela sua opinião!', thanksDetail: 'A sua resposta foi registada de forma anónima.',
      idleTitle: 'Ainda está aí?', idleText: 'O questionário vai recomeçar dentro de {s} segundos.', idleContinue: 'Continuo aqui',
      paused: 'Este terminal está temporariamente indisponível. Obrigado pela sua compreensão.',
      disabled: 'Este terminal já não está em serviço.',
    },
  },
  tr: {
    name: 'Türkçe', dir: 'ltr', surveyI18n: 'turkish',
    strings: {
      language: 'Dil', anonymous: 'Anonim anket',
      finishPrompt: 'Teşekkürler! Burada bitirebilir veya birkaç soru daha yanıtlayabilirsiniz.',
      finish: 'Bitir', continue: 'Devam et', submit: 'Gönder',
      thanks: 'Görüşünüz için teşekkür ederiz!', thanksDetail: 'Yanıtınız anonim olarak kaydedildi.',
      idleTitle: 'Hâlâ orada mısınız?', idleText: 'Anket {s} saniye içinde yeniden başlayacak.', idleContinue: 'Buradayım',
      paused: 'Bu terminal geçici olarak kullanılamıyor. Anlayışınız için teşekkür ederiz.',
      disabled: 'Bu terminal artık hizmette değil.',
    },
  },
  de: {
    name: 'Deutsch', dir: 'ltr', surveyI18n: 'german',
    strings: {
      language: 'Sprache', anonymous: 'Anonymer Fragebogen',
      finishPrompt: 'Vielen Dank! Sie können hier aufhören oder noch ein paar Fragen beantworten.',
      finish: 'Beenden', continue: 'Weiter', submit: 'Absenden',
      thanks: 'Vielen Dank für Ihre Meinung!', thanksDetail: 'Ihre Antwort wurde anonym gespeichert.',
      idleTitle: 'Sind Sie noch da?', idleText: 'Der Fragebogen beginnt in {s} Sekunden von vorn.', idleContinue: 'Ich bin noch da',
      paused: 'Dieses Terminal ist vorübergehend nicht verfügbar. Vielen Dank für Ihr Verständnis.',
      disabled: 'Dieses Terminal ist außer Betrieb.',
    },
  },
  it: {
    name: 'Italiano', dir: 'ltr', surveyI18n: 'italian',
    strings: {
      language: 'Lingua', anonymous: 'Questionario anonimo',
      finishPrompt: 'Grazie! Può fermarsi qui o rispondere ad altre domande.',
      finish: 'Termina', continue: 'Continua', submit: 'Invia',
      thanks: 'Grazie per la sua opinione!', thanksDetail: 'La sua risposta è stata registrata in forma anonima.',
      idleTitle: 'È ancora lì?', idleText: 'Il questionario ricomincerà tra {s} secondi.', idleContinue: 'Sono ancora qui',
      paused: 'Questo terminale è temporaneamente non disponibile. Grazie per la comprensione.',
      disabled: 'Questo terminale non è più in servizio.',
    },
  },
  // Names and SurveyJS files only: the kiosk's own strings fall back to English.
  ru: { name: 'Русский', dir: 'ltr', surveyI18n: 'russian' },
  uk: { name: 'Українська', dir: 'ltr', surveyI18n: 'ukrainian' },
  ro: { name: 'Română', dir: 'ltr', surveyI18n: 'romanian' },
  pl: { name: 'Polski', dir: 'ltr', surveyI18n: 'polish' },
  nl: { name: 'Nederlands', dir: 'ltr', surveyI18n: 'dutch' },
  fa: { name: 'فارسی', dir: 'rtl', surveyI18n: 'persian' },
  ur: { name: 'اردو', dir: 'rtl', surveyI18n: 'urdu' },
  he: { name: 'עברית', dir: 'rtl', surveyI18n: 'hebrew' },
  zh: { name: '中文', dir: 'ltr', surveyI18n: 'simplified-chinese' },
};

export interface KioskLanguage {
  code: string;
  name: string;
  dir: 'ltr' | 'rtl';
  surveyI18n: string | null;
  strings: KioskStrings;
}

export function kioskLanguage(code: string): KioskLanguage {
  const l = LANGUAGES[code] ?? LANGUAGES[code.split('-')[0]];
  return {
    code,
    name: l?.name ?? code,
    dir: l?.dir ?? 'ltr',
    surveyI18n: l?.surveyI18n ?? null,
    strings: l?.strings ?? LANGUAGES.en.strings!,
  };
}

/** Label of a locale list in French, for management pages: « Français, English, العربية ». */
export function languageNames(codes: readonly string[]): string {
  return codes.map((c) => kioskLanguage(c).name).join(', ');
}
