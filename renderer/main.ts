// The renderer's entry: the Vue app with its Pinia stores.

import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import './styles/base.css';
import './styles/layout.css';
import './styles/forms.css';
import './styles/compare.css';

createApp(App).use(createPinia()).mount('#app');
