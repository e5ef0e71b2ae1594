/** Entry of `allparty-banner.zh.js`: registers these texts for the lazy UI bundle. */
import { zh } from './zh';

window.allpartyUiMessages = { ...window.allpartyUiMessages, zh };
