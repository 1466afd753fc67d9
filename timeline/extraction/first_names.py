# ruff: noqa: SIM905 - a word list reads best as words.
"""Given names: the ASCII first names of Faker's person providers (MIT licence), many locales.

Only evidence that a capitalised word can start a person's name; absence proves nothing.
"""

FIRST_NAMES = frozenset(
    """
    Aachal Aada Aadhya Aadi Aage Aahana Aaliyah Aanuoluwapo Aapo Aarav Aarini Aarna Aarnav Aarne
    Aaro Aaron Aarush Aashi Aatos Aayush Abayomi Abbas Abbi Abbie Abbos Abby Abdi Abdirahman
    Abdu Abduaziz Abduboriy Abdul Abdulbekir Abdulgazi Abdulhamid Abdulkadir Abdullah Abdullahi
    Abdulloh Abdulmenaf Abdulsemet Abdumalik Abdurahmon Abdurrahman Abebi Abeer Abel Abelardo
    Abelone Abeni Abha Abhimanyu Abhiram Abid Abigail Abigaili Abilio Abina Abiodun Abiona Abiye
    Abosede Abraham Abram Abril Abror Abubakr Abuzar Abyasa Acar Acarkan Achille Achim Aclan Ada
    Adak Adal Adalbert Adalberto Adam Adamo Adasal Ade Adebiyi Adebowale Adebukola Adedayo
    Adedeji Adekitan Adekola Adekunle Adela Adelaida Adelardo Adelasia Adelbert Adele Adeleke
    Adelgunde Adelheid Adelia Adelin Adelina Adelinde Adeline Adelmo Adem Adenike Adeniyi Adeolu
    Adeoti Adepeju Aderopo Adesewa Adeshina Adesoji Adesua Adetayo Adetoke Adetoun Adeyi
    Adhiarja Adhra Adi Adia Adiarja Adigun Adika Adikara Adil Adila Adimu Adina Adinata Aditya
    Adlan Adnan Adolf Adolfine Adolfo Adonis Adora Adrian Adriana Adriane Adrianna Adrianne
    Adriano Adrien Adrienn Adrienne Adunni Advaith Advay Advik Advika Adviye Adweta Adya Aedan
    Aedin Aengus Aenne Afaq Afer Afife Afil Afiq Afolarin Afonso Afruza Agapito Agastya Agata
    Agatha Agathe Aglaia Agne Agnes Agneta Agnete Agnieszka Agnolo Agnos Agostino Agripina Agus
    Agustina Ahat Ahmad Ahmed Ahmet Ahsen Ahter Ahti Aida Aidan Aideen Aiden Aijuka Aila Ailbhe
    Aileen Aili Ailis Ailish Aimee Aimo Aina Ainara Aine Aino Ainoa Airi Aisha Aishani Aishling
    Aisling Aislinn Aisyah Aitana Aitor Ajala Ajani Ajeng Ajiman Ajimat Ajimin Ajiono Ajoke
    Akalan Akanmu Akar Akarsana Akatay Akay Akbar Akcivan Akdora Aki Akif Akinkunmi Akinlabi
    Akinwale Akise Akkerman Akmal Akmaner Akmaral Akobir Aksay Aksel Akseli Akshay Aksoy Akumu
    Akver Alaaddin Alabezek Alade Alaeddin Alain Alambana Alamu Alan Alana Alanalp Alanis Alanna
    Alannah Alastair Alattin Alaz Alba Alban Albano Alberico Albert Alberta Alberte Albertina
    Albertine Alberto Albin Albina Albino Albrecht Alcan Alcides Alderano Aldo Aldonza Ale Alec
    Alejandra Alejandro Alejo Aleks Aleksandar Aleksander Aleksandr Aleksandra Aleksanteri
    Aleksej Aleksi Alena Aleodor Alessandra Alessandro Alessia Alessio Alex Alexa Alexander
    Alexandr Alexandra Alexandre Alexandria Alexandrie Alexandrina Alexandros Alexandru Alexe
    Alexei Alexej Alexia Alexis Alf Alfio Alfons Alfonso Alfred Alfredo Algot Ali Aliabbas Alice
    Alicia Alicja Alida Aliihsan Alika Alin Alina Aline Alinur Alis Alisa Aliseydi Alisha Alison
    Alistair Alistar Alister Alix Aliya Alize Alka Alkor Alla Allahverdi Allan Allana Allegra
    Allen Allison Alma Almasi Almast Almaz Almira Almudena Almus Almut Almuth Alois Aloisia
    Alondra Alonso Aloys Alparslan Alpcan Alphons Alphonse Alphonsus Alpin Alsoy Alva Alvar
    Alvaro Alve Alvin Alwin Alwina Alwine Alyssa Alzina Amada Amadeo Amadeus Amado Amador Amahle
    Amaira Amalia Amalie Amancio Amanda Amando Amani Amara Amarilis Amaro Amaya Amber Ambrose
    Ambrosio Amedeo Amedeu Amelia Amelie Ami Amico Amie Amin Amina Amir Amira Amleto Amoke Amol
    Amondi Among Amope Amor Amparo Amre Amri Amrita Amruta Amy Amza Ana Anabel Anabela Anacleto
    Anaida Anamaria Anamika Anar Anas Anasa Anastasia Anastasie Anastasio Anastasios Anastatia
    Anastazja Anatol Anatoli Anatolie Anatolij Anay Anca Anda Anders Andile Andor Andra Andrada
    Andre Andrea Andreas Andree Andreea Andrei Andreia Andrej Andrena Andres Andrew Andrey
    Andrian Andrzej Andwele Andy Ane Anel Anemona Aneta Anett Anette Angalia Angavu Angel Angela
    Angelica Angelika Angelina Angeline Angelino Angelique Angelita Angelo Anggabaya Anghel
    Anghelina Angie Angus Anh Ani Anica Aniela Anika Anirudh Anisa Anita Anja Anjali Anjolaoluwa
    Anka Anke Anmol Ann Anna Annabel Annak Annaliese Annalisa Annalise Annamaria Anne Annedore
    Annegret Annegrete Annekatrin Anneke Annelene Anneli Annelie Annelies Anneliese Annelise
    Annelore Annemarie Annemette Annemie Annemijn Annerose Annett Annetta Annette Anni Annibale
    Annica Annie Anniina Annika Annikki Annita Annukka Annunziata Anny Anom Anoni Anouk Ansaldo
    Anselm Anselma Anselmo Ansgar Ansh Ansora Anssi Antal Ante Antero Anthony Antim Antje Anto
    Antoaneta Antoin Antoine Antoinette Anton Antonela Antonella Antonello Antoni Antonia
    Antonie Antonietta Antonina Antonino Antonio Antonios Antoniu Antonius Antony Antti Anu
    Anusha Anvar Anvi Anya Aodhan Aoibheann Aoibhin Aoibhinn Aoife Aongus Apolena Apolinar
    Apollo Apollonia Apolonia Apostolos April Aqil Araceli Aradhana Aral Aran Aranka Arcan
    Arcelia Argono Argu Ari Aria Ariadna Arian Ariana Ariane Arianne Aribert Arie Ariel Arif
    Arifcan Arike Arild Arin Arina Arinola Aris Aristide Aristides Arja Arjun Arkadiusz Arkut
    Arlene Armahan Armando Armas Armida Armin Arnaldo Arnaude Arnd Arndt Arne Arnfried Arnim
    Arno Arnold Arnulf Arnulfo Aroa Aron Arran Arron Arsenie Arsenio Arsipatra Arta Artan
    Artanto Artawan Artemio Artemisa Arthur Arto Arttu Artturi Artur Arturo Aru Arunima Arusi
    Arvid Arvo Arya Aryan Arziye Arzu Asad Asafe Asake Asalet Asali Asani Asanti Asatira
    Asdrubal Asger Ashlee Ashleigh Ashlene Ashley Ashling Ashton Asif Asila Asilbek Asiman
    Asirwada Asirwanda Asko Aslan Aslanhan Aslijan Asliye Asma Asmadi Asman Asmianto Asmini
    Asmira Asmuni Assar Assumpta Asta Aston Astrid Asu Aswani Atabala Atalay Atanur Atasagun
    Atena Atenulf Atgun Athanasios Atharv Athumani Ati Atiena Atilhan Atilio Atinuke Atiyye Atma
    Atmaja Atnan Atte Attila Attracta Aud Audrey August Augusta Auguste Augustin Augustina
    Augustine Augusto Aukusti Aulikki Aulis Aune Aura Aurel Aurelia Aurelian Aureliana Aureliano
    Aurelio Aurica Aurora Aurore Austin Autumn Averil Avi Avni Avram Avril Awero Axel Axenia
    Axinte Aya Ayaan Ayan Ayasun Aybet Aybora Aydan Aydar Ayden Ayduru Ayesha Aygutalp Ayhan
    Ayinde Ayinke Aykut Aykutalp Ayla Aylil Aylin Aylla Aynilhayat Aynur Ayodeji Ayodele Ayoka
    Ayoub Aypar Ayse Aysel Aysema Aysevim Aysoy Aysu Aysuna Aytek Ayten Aytuna Ayu Ayub Ayush
    Ayushman Ayvas Ayyaruk Azaan Azad Azade Azahar Azahara Azalea Azeglio Azeneth Azettin Aziz
    Aziza Azize Azizi Azra Azucena Baba Babasola Babatunji Babawale Babett Babette Baccio
    Bachittar Bagas Baghyawati Bagiya Bagus Bagya Bahaddin Bahadurjit Bahari Bahittin Bahtinur
    Bahuraksa Bahuwarna Bahuwirya Bailey Bailie Bairbre Bajragin Bakda Bakhshi Baki Bakiadi
    Bakianto Bakidin Bakijan Bakiman Bakiono Bakti Baktiadi Baktianto Baktiono Bala Balamantri
    Balangga Balapati Balatekin Balca Baldassare Baldomero Balduino Baldur Bale Balendra Balhaar
    Bali Balidin Balijan Balinda Baljiwan Baltasar Balthasar Balvan Balveer Bambang Banara
    Banawa Banawi Bancar Bandile Banjeet Baptist Barak Barbara Barbora Barbro Barbu Barkha Barna
    Barry Barsen Bart Bartek Bartholomew Bartley Bartolomeo Bartolomeu Bas Basarab Basil Basilio
    Basriye Bastiaan Bastian Baturay Baudelio Bautista Baydu Baykan Bayman Bayram Bayruhan
    Baytal Bayzettin Beata Beate Beatrice Beatrix Beatriz Beau Bebe Becky Bedi Bediriye Bedri
    Begim Behbud Behiza Behrem Behruz Bekbay Bekir Bela Belen Belgizar Belinda Belkize Bella
    Bellisan Ben Bence Benedek Benedetto Benedict Benedicte Benedikt Benedikte Benedita Benek
    Bengibay Bengt Beniamin Benice Benicio Benigna Benigno Benita Benito Benjamim Benjamin Benn
    Benno Benny Benol Benone Bent Bente Benthe Bento Benvenuto Beppe Berat Beray Beren Berend
    Berenice Bergen Berit Beriye Berkal Berki Berksay Bernadett Bernadette Bernadine Bernard
    Bernarda Bernardino Bernardita Bernardo Bernd Berndt Bernfried Bernhard Bernhardine Bernice
    Bernt Bernward Berran Berrin Bert Berta Bertalan Bertha Berthold Bertil Berto Bertold
    Bertram Bertrand Besey Beshte Besin Beste Betania Beth Bethan Bethany Betina Betti Bettina
    Betty Beverley Beverly Beyda Beyhatun Beyler Beyzade Bezek Bhanumati Bhavani Bhavika Bhavini
    Bhavna Bhavya Bhekani Bhekisisa Bhekizizwe Bhekokwakhe Biagio Bianca Bianka Bibi Bibiana
    Bibisora Bibuwa Bican Bidayet Bienvenida Bilal Bilay Bilender Bilgen Bilginur Bilkay Bill
    Billy Bilol Bimala Bina Binay Birben Birger Birgid Birgit Birgitt Birgitta Birgitte Birsan
    Birsen Birte Birthe Bishakha Bitten Bjarne Bjorn Blahoslav Blaine Blake Blanaid Blanca
    Blanduzia Blanka Blas Blathnaid Bo Boaz Bob Bobby Bobur Bodil Bodo Boe Boel Bogdan Bogdana
    Bohumil Bohumila Bohuslav Bolatito Boleslav Boluwatife Boma Bonifacio Bonnie Bonu Borahan
    Boris Borja Borris Borys Botond Boynak Bozena Bozerk Brad Bradley Brady Bram Brandi Brandon
    Brandy Branka Branko Brayan Breandan Breanna Breda Breeda Breege Breffni Brenda Brendan
    Breno Brent Brett Brian Briana Brianna Brid Bridget Bridie Brien Briget Brighid Brigid
    Brigitta Brigitte Brijesh Brilyant Brinda Brit Brita Britt Britta Brittany Brittney Brogan
    Brona Bronach Bronagh Bronwen Bronwyn Brooke Brooklyn Bror Bruce Bruna Brunhild Brunhilde
    Bruni Brunilda Bruno Bryan Bryce Bryony Bucur Budi Buenaventura Buhari Bunmi Burakhan
    Burckhard Burcuhan Burghard Burkard Burkhard Burkhardt Busara Busisiwe Buyrukhan Cabbar
    Cabir Caetana Cagak Cager Cahal Cahan Cahangir Cahir Cahya Cahyadi Cahyanto Cahyo Cahyono
    Cailin Cailum Caio Cait Caitlin Caitlyn Caitriona Caius Cajsa Caket Cakrabirawa Cakrabuana
    Cakrajiya Cakrawala Cakrawangsa Cal Calcedonio Caleb Calebe Calista Calisto Calixta Calixto
    Callan Callum Calogero Calum Calvin Camelia Cameron Camil Camila Camilla Camille Camillo
    Camillus Camilo Canal Canan Canberk Candace Candela Candelaria Candelario Candelas Candeniz
    Candice Candra Candrakanta Canfeza Canice Cannur Canseven Cansin Cantemir Cantez Canur
    Caoilfhionn Caoimhe Caoimhin Caolain Caolan Caomhan Capa Capucine Cara Caragh Caraka Caren
    Caridad Carin Carina Carita Carl Carla Carlijn Carlito Carlo Carlos Carlota Carly Carmel
    Carmela Carmelita Carmelo Carmen Carmina Carmine Carminho Carol Carola Carole Carolin
    Carolina Caroline Carolyn Carrie Carsten Carter Carub Cas Casandra Casemiro Casey Casian
    Casiana Casper Cassandra Cassidy Cassie Catalina Catarina Caterina Cathal Catharina
    Catherina Catherine Catheriona Cathleen Cathrin Cathrina Cathrine Cathriona Cathy Catinca
    Cato Catrin Catrina Catrine Catrinel Catriona Catur Caturangga Cavad Cavid Cavit Cawisadi
    Cawisono Cawuk Cayadi Cayetana Cayetano Cazimir Ceara Cebesoy Cecelia Cecep Cecil Cecilia
    Cecilie Cecilio Cedide Cedrin Ceferino Celal Celene Celestina Celestino Celia Celilay Celina
    Celine Celso Cemal Cemalettin Cemani Cemeti Cemil Cemiyle Cemplunk Cenan Cengiz Cengkal
    Cengkir Centa Cerasela Cercis Cesar Cesare Cetin Cevale Cevheri Ceyhun Ceyla Ceylin Ceyran
    Cezar Cezara Cezary Cezayir Chaaya Chad Chaitaly Chaitanya Chakradev Chakradhar Chakrika
    Chaman Chameli Champak Chanakya Chanchal Chandani Chandra Chandran Chandresh Chaniya Chantal
    Chantel Chantelle Charan Charis Charita Charlene Charles Charlie Charlott Charlotta
    Charlotte Charmaine Charo Charos Charvi Chase Chasmum Chatresh Chatura Chausiki Chavvi Che
    Chelo Chelsea Chelsey Chema Cherie Cherith Cheryl Cheusi Cheyenne Chi Chiara Chipukizi Chita
    Chloe Chris Christa Christel Christelle Christer Christian Christiana Christiane Christie
    Christin Christina Christine Christl Christof Christofer Christoffer Christoph Christophe
    Christopher Christos Christy Chucho Chuki Chus Chuy Cian Cianan Ciaobella Ciara Ciaran
    Ciarrai Cici Cihan Cihandide Cilli Cillian Cilly Cindoruk Cindy Cinta Cinthia Cintia Ciprian
    Cipriana Cipriano Ciriaco Cirillo Cirino Cirkeline Ciro Citlali Citra Claas Claes Clair
    Claire Clara Clare Clarence Clarice Clarisa Clarissa Clark Clas Claude Claudia Claudine
    Claudio Claudiu Claudius Claus Clavs Clayton Clelia Clemens Clement Clemente Clementina
    Cleopatra Cleto Clifford Clinton Cliodhna Cliona Clive Clodagh Cloe Clotilde Codie Codin
    Codrin Codrina Cody Cole Coleman Colette Colin Colleen Collette Collin Colm Colman Colton
    Coluccio Colum Columba Conal Conall Conan Concepta Concetta Concha Conchita Conchur Conleth
    Conn Connell Connie Connor Conny Conor Conrad Conrado Constance Constantin Constantina
    Constanza Constanze Consuela Consuelo Cora Coral Coralia Cord Cordula Corey Corina Corinna
    Corinne Coriolano Cormac Cormack Cornel Cornelia Cornelio Cornelis Corneliu Cornelius Corona
    Corrado Corrie Cortney Corvin Cory Cosima Cosimo Cosme Cosmin Cosmina Costache Costantino
    Costanzo Costel Costin Courteney Courtney Craig Crescencia Crin Crina Cristal Cristea
    Cristian Cristiano Cristina Cristobal Cristofor Cruz Crystal Csaba Csilla Csongor Ctibor
    Ctirad Cuheyna Cuman Curro Curt Curtis Custodia Custodio Cynthia Cyprian Cyril Czeslaw Daan
    Dacian Daciana Dacin Dadap Dadi Dafina Dafne Dag Dagel Dagmar Dagmara Dagny Dagobert Dai
    Daiana Dainess Daire Dairine Daisy Dajana Dakota Daksh Daksha Dakshesh Dalaja Dalan Dalbir
    Dale Daler Dalia Dalibor Dalila Dalili Dalima Daliman Dalimin Daliono Dalton Damar Damaris
    Damian Damiano Damien Damife Damini Damir Damlanur Damon Damu Damyanti Dan Dana Danang Dani
    Danica Daniel Daniela Daniele Daniella Danielle Danilo Danique Daniswara Danny Dante Danu
    Danuja Danuta Daphne Dara Daragh Darcy Daren Daria Dariana Dariati Darijan Darika Darimin
    Darin Darina Dario Darius Dariusz Darko Darlene Darmaji Darman Darmana Darmanto Darpan
    Darragh Darran Darrell Darren Darrin Darryl Darsh Darsirah Dartono Daru Daruna Daryani Daryl
    Dasa Daudi Dave Davi David Davida Davin Davnet Dawid Dawn Dayamai Dayar Dayita Dayna Deaglan
    Dean Deane Deanna Dearbhail Dearbhaile Dearbhla Debbie Deborah Deborrah Debra Decebal Declan
    Deepa Deha Deidre Deirbhile Deirdre Del Delfina Delfino Delia Delil Demetra Demetrio Demi
    Demilade Demiriz Demirok Denis Denisa Denise Deniz Denizalp Denkel Dennis Denny Dereck Derek
    Derick Derkay Dermot Dermott Derrick Derval Dervilla Dervla Deryanur Desiderio Desiree
    Desmond Despina Destiny Detlef Detlev Dev Devansh Devi Devika Devin Deviner Devon Dewi Dex
    Dhriti Dhruv Diah Diamond Dian Diana Diane Diann Dianne Diarmaid Diarmuid Dick Dida Didina
    Diedrich Diego Dierk Dieter Diethard Diethelm Diether Dietlind Dietlinde Dietmar Dietrich
    Digdaya Diken Dilara Dilcan Dilder Dildora Dilfeza Dillon Dilnoz Dilnur Dilsitan Dimas Dimaz
    Dimitri Dimitrina Dimitrios Dina Dincer Dinda Dinis Dino Dinu Diogo Dion Dionigi Dionisia
    Dionisio Dionne Dipa Dipta Dirican Dirja Dirk Dirlik Dita Ditmar Ditte Dittmar Divan Divya
    Diya Diyor Diyora Dobroslav Dochia Dodo Dogan Doina Dolores Dolun Dom Domenico Domhnall
    Dominga Domingo Dominic Dominick Dominik Dominika Dominique Domitila Domnica Don Dona Donagh
    Donal Donald Donata Donatella Donatello Donato Doniyor Donna Donnacha Donncha Dono Donough
    Dora Doreen Dorel Dorian Doriana Dorin Dorina Dorinel Doris Dorit Dorita Dorle Dorli Dorota
    Dorotea Dorothe Dorothea Dorothee Dorothy Dorottya Dorte Dorthe Doru Dorukhan Douglas Dovud
    Doyinsola Draga Dragan Dragica Drago Drahoslav Drahoslava Drajat Drew Duane Duarte Ducu Duha
    Duilio Dulce Duma Dumisani Dumisile Dumitra Dumitrana Dumitru Duncan Dunia Dunja Dunyo
    Duracan Durante Durdali Durdona Durgadin Durna Durodola Dursadiye Dursun Duruk Dusan Dustin
    Duuk Duyguhan Dwayne Dwi Dylan Dylano Dymphna Dympna Eadaoin Eamon Eamonn Eanna Earl Eavan
    Eba Ebba Ebbe Eberhard Eberhardt Ebony Ebuakil Ecaterina Eckard Eckart Eckehard Eckhard
    Eckhardt Eckhart Ecrin Edaviye Edda Eddie Edel Edelbert Edelgard Edelmira Edelmiro Edeltraud
    Edeltraut Edeltrud Eden Edgar Edgardo Edhitha Edi Edina Edison Edit Edita Edith Editha
    Edmond Edmund Edmundo Edoardo Edu Eduard Eduarda Eduardo Edvard Edvin Edward Edwin Edwina
    Eelis Eemeli Eemil Eerik Eero Eesha Eetu Eeva Efe Efil Efser Eftimia Eftimie Ega Egbert
    Egenur Eggert Egil Egon Ehrenfried Ehrentraud Ehrhard Eija Eila Eileen Eilis Eilish Eimear
    Eimer Eimhear Einar Einari Einer Eino Eira Eiravati Eirik Eitel Eithne Eivind Eivor Eja Eka
    Ekaja Ekalinga Ekani Ekansh Ekanta Ekantika Ekapad Ekaraj Ekaterina Ekavir Ekbal Ekber Ekiya
    Ekkehard Ekkehart Ekmel Eko Ekrem Ekta Ekundayo Ekundu Eladio Elaine Elamiye Elariz Elba
    Eldar Eleanor Eleanora Elena Eleni Elenore Eleonor Eleonora Eleonore Eleuterio Elfi Elfie
    Elfriede Elgin Elhan Eli Eliakimu Eliana Elias Elif Elifnur Eligia Eligio Eliisa Elijah Elin
    Elina Eline Elinor Elis Elisa Elisabet Elisabeta Elisabeth Elisaveta Elise Eliseo Elisha
    Eliza Elizabeth Elize Elke Ella Elladio Ellen Elli Ellie Ellinor Elliot Elliott Ellis Elly
    Elma Elman Elmar Elmer Elmeri Elmidar Elmir Elmira Elmo Elna Elnur Eloah Elodia Elof Eloisa
    Eloise Elon Eloy Elpidio Elsa Elsbeth Else Elsebeth Elsie Elsy Elton Elturan Eluh Elva Elvan
    Elvia Elvin Elvina Elvira Elvis Elvy Elwira Elxan Elzbieta Ema Emal Eman Emanoil Emanuel
    Emanuela Emanuella Emanuelly Emanuil Emas Embuh Emelie Emelina Emer Emese Emigdio Emil
    Emilia Emilian Emiliana Emiliano Emilie Emilio Emilly Emily Emin Emine Emir Emma Emmanuel
    Emmanuelle Emmerich Emmet Emmett Emmi Emmy Emong Emperatriz Empluk Emrullah Enar Encarna
    Encarnacion Encarnita Enda Endah Endra Endre Enes Enfes Engelbert Engin Enginiz Engla Eniola
    Ennio Enno Enrico Enrique Ensari Ensio Enteng Enver Enya Enzi Enzio Enzo Eoghan Eoin
    Epifanio Eral Eraldo Erasmo Eraycan Erbay Erbil Ercan Ercihan Erdal Erdemer Erdibay Erdmute
    Erdogan Erdursun Erem Eremia Erenalp Erensoy Ergener Erginel Erhard Erhardt Eric Erica Erich
    Erick Erik Erika Erin Erkan Erkinel Erkki Erksoy Erland Erling Ermanno Ermenegildo Ermes
    Ermutlu Erna Ernest Ernestine Ernesto Ernst Erol Ersel Ertan Erten Ertuncay Ervaniye Ervin
    Erwin Eryk Eryn Esa Esben Esenbay Eshana Esila Eskil Eskinalp Esko Esmanperi Esmarelda Esmee
    Esmeralda Esmira Esna Esparta Espartaco Espen Esperanza Essi Esteban Estela Estelle Ester
    Estera Esteri Esther Estiawan Estiono Estrella Esupofo Eszter Eta Etelka Etelvina Ethan
    Ethel Ethna Ethne Etibar Etiqad Etta Ettore Euan Eufemia Eufrosina Eugen Eugene Eugenia
    Eugenie Eugenio Eulalia Eunan Eunice Eusebia Eusebio Eusebiu Eustaquio Eutimio Eutropio Eva
    Evald Evamaria Evan Evance Evangelia Evangelina Evangelista Evangelos Evanghelina Evaristo
    Evcimen Evde Eve Evelia Evelien Eveliina Evelin Evelina Eveline Evelio Evelyn Evelyne Evert
    Evi Evie Evita Evrim Evrimer Evy Ewa Ewald Ewan Ewatomi Ewelina Eyyub Ezequiel Ezgin Ezio
    Faas Fabia Fabian Fabiana Fabienne Fabio Fabiola Fabricio Fabrizia Fabrizio Fadekemi
    Faderera Fadile Fadime Fahari Fahrullah Fainche Faiq Faisa Faith Faizah Faize Falak Falan
    Falguni Falk Falko Fami Famil Fanaka Fanni Fanny Faqid Farah Faraj Faraja Farangiz Faras
    Farhan Farhiya Farhod Farhunnisa Farijika Fariq Faris Fariz Fariza Faruk Farzona Fathonah
    Fatih Fatima Fatinur Fatma Fatmanur Faustino Fausto Fay Faye Fayize Fazil Fazul Feargal
    Fearghal Febe Febi Fedde Fedele Feden Federica Federico Federigo Fedor Fehim Fehintola
    Fehmiye Felicia Feliciana Feliciano Felicidad Felicitas Felicity Feline Felipa Felipe Felisa
    Felix Felizitas Fem Femke Fenna Fenne Fenni Ferahdiba Ferat Feraye Ferdi Ferdinand
    Ferdinando Feremez Ferenc Fergal Fergus Ferhan Ferihan Ferinaz Fermuta Fernanda Fernando
    Fersan Feruza Feryas Ferzi Fetullah Feyha Feyruz Feyzin Feza Fiachra Fiamma Fibikemi Fidan
    Fidaye Fidel Fidela Fidelma Fien Fiene Fikayomi Fildan Filip Filipa Filipe Filippa Filippo
    Filit Filiz Filofteia Filomena Fimar Finbar Finbarr Finian Finn Finola Fintan Fiodor Fiona
    Fionan Fionna Fionntan Fionnuala Fionnula Fiorenzo Fiorino Firdavs Firdevis Firdovsi Firudin
    Fitan Fitnat Fito Fitria Fitriani Fiyaz Flannan Flavia Flavio Flaviu Flemming Fleur Floare
    Floarea Floor Floortje Flor Flora Florea Florence Florencia Florencio Florentin Florentina
    Florentine Florentino Florian Floriana Florica Florin Florina Florinda Floris Folashade
    Folke Folker Folkert Folu Fortunata Fortunato Forum Fotima Frado Franca Frances Francesca
    Francesco Francis Francisc Francisca Francisco Franciszek Franck Franco Francoise Franjo
    Frank Franka Franklin Frans Franz Franziska Frauke Frazer Fred Freda Freddy Frede Frederic
    Frederick Frederico Frederik Frederike Frederikke Frederique Fredi Fredo Fredric Fredrik
    Fredrika Fredy Freia Freja Freya Frida Fridolin Frieda Friedbert Friedemann Frieder
    Friedericke Friederike Friedhelm Friedhilde Friedhold Friedl Friedlinde Friedo Friedrich
    Frithjof Fritz Frode Frusina Fryderyk Fuad Fulgencio Fulvio Fuzayl Fuzuli Gabel Gabi Gabino
    Gabor Gabriel Gabriela Gabriele Gabriella Gabrielle Gabrielly Gaby Gada Gadang Gading Gaduh
    Gael Gaetano Gagan Gail Gaiman Gaja Gala Galak Galang Galar Galasso Galih Galina Galiono
    Galip Galo Galuh Galur Gaman Gamani Gamanto Gambira Gamblang Ganda Gandewa Gandi Ganep Ganga
    Gangsa Gangsar Ganiye Ganjaran Gantar Gara Garan Garang Garda Garech Gareth Garima Garret
    Garreth Garrett Garry Garvan Gary Gaspar Gaspare Gasti Gastone Gatot Gatra Gaurang Gaurangi
    Gaurav Gauri Gaurika Gautam Gautami Gavan Gavin Gawati Gayathri Gazel Gbadebo Gbolahan
    Gbowoade Geanina Gearoid Gebhard Geert Geetika Geir Gelsomina Gelu Gema Gemma Genaro
    Gencaslan Gene Genevieve Genoveva Genta Geoffrey Georg George Georgel Georges Georgeta
    Georgia Georgian Georgiana Georgina Georgine Georgios Gerald Geraldine Geraldo Gerard
    Gerardine Gerardo Geray Gerd Gerda Gerdi Gereon Gerfried Gergely Gerhard Gerhardt Gerhart
    Gerhild Gerlind Gerlinde German Germana Gernot Gero Gerold Gerolf Geronimo Gerrard Gerrit
    Gert Gerta Gerti Gertraud Gertraude Gertraut Gertrud Gertrude Gertrudis Gervasio Gerwin Gesa
    Gesche Gesine Geta Gethera Geza Ghaliyati Ghani Ghenadie Gheorghe Gherghina Giacinto
    Giacobbe Giacomo Giada Giampaolo Giampiero Gian Giancarlo Gianfrancesco Gianfranco Gianina
    Gianluca Gianluigi Gianmarco Gianna Gianni Gianpaolo Gianpietro Gicu Giel Giesela Gijs Gil
    Gilang Gilbert Gilberto Gilda Giles Gilles Gillian Gillis Gilman Gina Gino Ginyas Gioacchino
    Gioachino Gioele Gioffre Gionata Giorgia Giorgian Giorgiana Giorgio Giovanna Giovanni Girik
    Girindra Girish Girolamo Gisa Gisbert Gisela Gislinde Gitta Gitte Giulia Giuliana Giuliano
    Giulietta Giulio Giuseppe Giuseppina Giustino Giz Gizella Glauco Glen Glenda Glenn Gloria
    Godofredo Goffredo Goma Goncafer Gonzalo Gopal Goran Gordan Gordana Gordon Gorm Gottfrid
    Gottfried Gotthard Gotthilf Gotthold Gottlieb Gottlob Goyo Grace Gracia Graciana Graciano
    Graciela Graeme Graham Grainne Grania Grant Graziano Graziella Grazyna Greca Greco Greg
    Greger Gregg Gregor Gregorian Gregorio Gregory Greta Gretchen Grete Gretel Grethe Gretl
    Gretta Grigore Griselda Grit Gro Grzegorz Guadalupe Guarino Gudrun Gudula Guenter Guenther
    Guglielmo Gugu Gugulethu Guido Guilherme Guillaume Guillermina Guillermo Guiomar Guiseppe
    Gun Gunar Gunbir Gunborg Gunda Gundel Gundhild Gundi Gundolf Gundula Guneet Gunhild Gunilla
    Gunn Gunnar Gunnel Gunner Gunter Gunther Guntram Gunvor Gurli Gustaf Gustav Gustavo Gustaw
    Gusti Guus Guusje Guy Gwen Gwendolen Gwendoline Gwendolyn Gyda Gyula Habib Habiba Habibe
    Habil Haciali Hacile Hadassa Hadi Hadicha Hadija Hadithi Hadrey Hafiz Hafshah Hagen Haiba
    Hailey Hairyanto Hajnalka Hajo Hakan Hakikat Hakim Halenur Haley Halid Halidun Halil Halim
    Halima Halina Halisi Haliye Haluk Hami Hamid Hamima Hamis Hamish Hamiyet Hampus Hamsini
    Hamza Hamzah Hana Hanbiken Hanedan Hani Hanife Hanim Hanja Hanna Hannah Hannchen Hanne
    Hannele Hannelore Hannes Hanni Hanno Hanns Hannu Hanny Hanora Hans Hansgeorg Hansjoachim
    Hanspeter Hansultan Haralamb Haralambie Harald Harambee Harbinaz Hardana Hardi Hardik Hardy
    Hari Harimurti Harinakshi Harini Harish Harita Hariz Harja Harjasa Harjaya Harjo Harm Harold
    Haroldo Harri Harriet Harrison Harro Harry Harsana Harsanto Harsaya Harsh Harshil Hartaka
    Hartana Hartmut Hartmuth Harto Hartwig Harvey Hasan Hasbek Hashiki Hasim Hasna Hasret Hassan
    Hasso Hasta Hatem Hatice Hatima Hatin Havali Havse Hawehindi Hayali Hayden Hayel Hayleigh
    Hayley Hayret Hazel Hazine Hazrat Heather Hector Hedda Hedi Hedvig Hedvika Hedwig Hedy Hege
    Heide Heidelinde Heidelore Heidemarie Heiderose Heidi Heidrun Heike Heikki Heiko Heimo
    Heiner Heinfried Heini Heino Heinrich Heinz Heitor Hekima Hekime Hekmet Helan Helen Helena
    Helene Helfried Helga Helge Heli Heliodoro Hella Helle Hellena Hellevi Hellmut Hellmuth
    Helma Helmar Helmer Helmi Helmtrud Helmut Helmuth Heloisa Helvi Hema Hemal Hemang Hemangini
    Hemani Hendra Hendri Hendrik Henife Henna Henner Henni Henning Henny Henri Henric Henrieta
    Henrietta Henriette Henrik Henrike Henrikki Henrique Henry Henryk Heracleea Heraclio Herbert
    Herberto Herdis Heribert Heriberto Herlinde Herma Herman Hermann Hermanni Hermelinda
    Hermenegildo Hermine Herminia Herminio Hernando Herrmann Herta Hertha Heru Herwig Heryanto
    Hesti Heva Heyvetullah Hezniye Hicran Hidaya Hidde Hidir Hilal Hilario Hilary Hilayda Hilda
    Hildburg Hilde Hildegard Hildegart Hildegund Hildegunde Hilding Hilkka Hillary Hillevi Hilma
    Hilmar Hiltraud Hiltrud Himawan Hindal Hinet Hinrich Hiral Hitesh Hjalmar Hjalte Hodari
    Holger Hollie Holly Holm Homero Honora Horacio Horea Horia Horst Hortense Hortensia Howard
    Hredhaan Hritik Huban Hubert Hubertine Hubertus Hudavent Hugh Hugo Hugues Hulda Humaira
    Humaiya Humayra Humberto Humoyun Hunalp Hunor Hunter Hurican Hussein Huy Huzuri Hynek Iacob
    Iain Ian Iancu Ianis Iara Iasmina Ib Iben Ibidapo Ibironke Ibolya Ibrahim Ibrani Ibrohim
    Ibun Ica Icha Ida Ide Idika Idun Ieremia Ifa Ifora Ige Ignacia Ignacio Ignacy Ignatz Ignaz
    Ignazio Igor Ihsan Iida Iiris Iisakki Ijaya Ika Ikbal Ikeoluwa Iker Ikhsan Ikin Ikshita
    Ilari Ilaria Ilarie Ilarion Ildefonso Ildiko Ileana Ilhan Ilias Ilie Ilija Ilinca Ilja Ilka
    Ilkka Ilmari Ilona Ilonka Ilsa Ilse Ilyas Imam Imany Imara Imaran Imelda Imke Immo Imona
    Imran Imre Imron Ina Inaya Indah Indali India Indira Indra Indrajit Indy Ines Inez Inga
    Ingalill Ingbert Inge Ingeborg Ingeburg Ingegerd Ingela Ingelise Ingelore Ingemar Inger
    Ingetraud Ingetraut Ingmar Ingo Ingolf Ingrid Ingried Ingvar Inioluwa Inka Inken Inkeri
    Inmaculada Inna Inocencio Insa Intan Ioan Ioana Ioanina Ioannis Iolanda Ion Iona Ionel
    Ionela Ionelia Iosefina Iosif Ippazio Ira Irena Irene Iretioluwa Irfan Iriana Iridenta Irina
    Irinel Iris Irja Irma Irmela Irmeli Irmengard Irmgard Irmhild Irmi Irmingard Irmtraud
    Irmtraut Irmtrud Irnanto Irsad Irwan Irya Isa Isaac Isabel Isabela Isabell Isabella Isabelle
    Isabelly Isac Isadora Isaiah Isak Isaque Isaura Isaya Ise Iseoluwa Isfandiyor Isha Ishaan
    Ishani Ishanvi Ishita Ishola Ishwar Isidor Isidora Isidoro Isidro Isis Islom Ismael Ismail
    Ismet Ismo Ismoil Isobel Isolde Israel Issack Istvan Ita Itanya Ituri Itzel Itziar Iulia
    Iulian Iuliana Iuliu Iurie Iustin Iustina Iustinian Iva Ivan Ivana Ivanka Ivar Iver Iveta
    Ivo Ivona Ivonne Ivor Ivy Iwan Iwo Iwona Iyabode Iyadunni Iymona Izabela Ize Jaakko Jaana
    Jabal Jabulani Jacek Jacinta Jacintha Jacinto Jack Jackie Jackson Jaclyn Jacob Jacobine
    Jacobo Jacopo Jacqueline Jacques Jade Jadwiga Jaeman Jafet Jaga Jagapati Jagaraga Jagat
    Jagdish Jagrati Jagvi Jahi Jahongir Jai Jail Jaiman Jaime Jairaj Jais Jaka Jake Jakob Jakub
    Jalia Jalmari Jalol Jalsa Jamal Jamalia James Jamie Jamil Jamshid Jan Jana Janaki Janani
    Jane Janet Janeta Janett Janette Jangwa Jani Janice Janin Janina Janine Jankat Janko Jann
    Janna Janne Janni Jannie Jano Janos Januja Janus Janusz Janya Jaqueline Jared Jari Jarkko
    Jarl Jarlath Jarleth Jarmila Jarmo Jarno Jaroslav Jaroslava Jaroslaw Jaruthip Jarwa Jarwadi
    Jarwi Jasiri Jasmani Jasmijn Jasmin Jasmina Jasmine Jasmit Jason Jasper Jasur Jaswadi Jati
    Jatin Jatmiko Javi Javier Javiera Javohir Jay Jaya Jayadi Jayda Jayde Jayden Jayeng Jaylinn
    Jayne Jayson Jean Jeana Jeanette Jeanne Jeannette Jeannine Jeet Jeevika Jeff Jeffery Jeffrey
    Jefri Jelani Jelena Jelita Jelle Jelte Jemma Jena Jenaro Jenel Jenifer Jenna Jenni Jennie
    Jennifer Jenny Jens Jente Jeppe Jere Jeremi Jeremiah Jeremy Jerker Jermaine Jermiah Jerome
    Jerry Jerzy Jesper Jesse Jessica Jessika Jesus Jesusa Jet Jhalak Jill Jillian Jim Jimena
    Jimmie Jimmy Jina Jinawi Jindra Jinthe Jip Jiri Jitka Jo Joachim Joacim Joakim Joan Joana
    Joann Joanna Joanne Joaquim Joaquina Job Jobst Jocelyn Jochem Jochen Jodi Jodie Jody Joe
    Joel Joep Joerg Joey Johan Johana Johann Johanna Johanne Johannes John Johnathan Johnnie
    Johnny Joko Jolana Jolanda Jolanta Jolanthe Jolene Jolie Jolijn Joline Jon Jonas Jonatan
    Jonathan Jonathon Joni Jonna Jonny Jono Joona Joonas Joonatan Joost Jordan Jordana Jordi
    Jordon Jordy Jorge Joris Jorma Jorn Jort Jorunn Jos Jose Josef Josefa Josefiina Josefin
    Josefina Josefine Josep Joseph Josephine Josette Josh Joshua Josip Jost Jouko Jouni Jovan
    Jovita Joy Joyce Jozef Jua Juan Juana Juanita Juanito Jude Judit Judita Judith Judy Juergen
    Juha Juhana Juhani Juho Jukka Jules Juli Julia Julian Juliana Juliane Julianna Julie Julien
    Juliet Julieta Juliette Julio Julita Julius Juliusz Jumaane Jumadi Jumari June Juni Junior
    Juri Jurij Jurre Jussi Justin Justina Justine Justiniani Justus Justyna Jutta Juul Juulia
    Juuso Juwon Jyoti Jyrki Jytte Kaarina Kaarlo Kabir Kacper Kacung Kader Kadir Kahir Kai Kaija
    Kaique Kairav Kaisa Kaitlin Kaitlyn Kaj Kaja Kajen Kajetan Kajsa Kala Kalervo Kalevi Kalgay
    Kalim Kalina Kalle Kalpit Kaluwa Kamal Kamala Kamar Kamaria Kambali Kamidin Kamil Kamila
    Kamilly Kamran Kamron Kamya Kanak Kanda Kandef Kane Kani Kania Kanpulat Kaombwe Kapagan Kara
    Karaca Karaer Karakucak Karama Karan Karanbay Karcan Kardelen Kardi Karel Karen Kari Karim
    Karimah Kariman Karin Karina Karja Karl Karla Karley Karlfried Karlheinz Karlijn Karlo
    Karlukhan Karma Karman Karna Karol Karola Karoliina Karolin Karolina Karoline Karsa Karsana
    Karsten Karta Kartika Karya Kashangaki Kashish Kashvi Kasim Kasimir Kasiran Kasiyah Kaskazi
    Kaspar Kasper Kasusra Kata Katalin Katariina Katarina Katarzyna Katcha Kate Katelyn Katerina
    Katharina Katharine Katherina Katherine Kathi Kathleen Kathrin Kathryn Kathy Kati Katie
    Katja Katri Katriina Katrin Katrina Katrine Katriona Katy Kauko Kaver Kavurt Kavya Kawaca
    Kawaya Kay Kaygusuz Kayla Kaylee Kayleigh Kayrabay Kayun Kazim Kazimierz Kealan Keano Keelan
    Keely Keeva Kefser Keijo Keisha Keith Keji Keld Kelli Kellie Kelly Kelsey Kelvin Kemal Kemba
    Ken Kenan Kenari Kendra Kenes Kenn Kennet Kenneth Kenny Kent Kenter Kenth Kenyangi Kenzie
    Keri Kerime Kerman Kerri Kerrie Kerry Kerstin Kerttu Kete Kevin Keya Kezban Kezia Khaled
    Khalid Khamani Khamisi Khanyisile Khoa Kiaan Kiah Kian Kiandra Kiapo Kiara Kiaran Kibafupia
    Kibar Kibibi Kiburi Kick Kiera Kieran Kiernan Kieron Kifaye Kijana Kijani Kike Kikelomo Kiki
    Kilian Killian Kim Kimberley Kimberly Kimbilio Kimmo Kimya Kinaya Kinga Kinubi Kiojah
    Kipenzi Kipepeo Kira Kiramettin Kirby Kirk Kirsi Kirsten Kirsti Kirstie Kirstin Kirstine
    Kirsty Kisima Kitan Kitti Kiume Kiwara Kiyasi Kjeld Kjell Kjersti Kjetil Klaas Klara Klas
    Klaudia Klaudie Klaus Klavs Klemens Klement Klothilde Knud Knut Koen Koko Kolawole Koldan
    Kondo Konguralp Konrad Konradi Konstantin Konstantinos Konstanty Konstanze Kopan Koray
    Korbinian Kordula Korede Kori Korinna Korkmazalp Kornel Kornelia Kornelius Korugan Kotuz
    Kovu Kreszentia Kreszenz Kriemhild Krish Krisha Krishna Krista Kristen Krister Kristi
    Kristian Kristiane Kristie Kristiina Kristin Kristina Kristine Kristofer Kristoffer
    Kristopher Kristy Krisztina Krisztofer Kritika Krystal Krystian Krystyna Krzysztof Ksawery
    Kuchanua Kuddusi Kullervo Kumar Kumral Kumush Kuncara Kunibert Kunigunda Kunigunde Kuno
    Kunthara Kurnia Kurt Kurtis Kurunzi Kusiima Kustaa Kusuma Kutay Kutun Kweli Kyan Kyano Kyara
    Kyle Kylie Kyllikki Kyra Laban Labuh Lacey Lada Ladislau Ladislaus Ladislav Ladislava Ladli
    Laetitia Lage Laika Laila Lailati Laini Lajita Lajos Laksana Laksh Lakshit Lakshmi Lala
    Lalita Lalo Lamar Lambert Lamberto Lan Lana Lanang Lance Lando Langalibalele Langgeng Lanjar
    Lantar Laoise Lara Laras Larisa Larissa Larry Lars Lasmanto Lasmono Lasse Lassi Laswi Laszlo
    Latasha Latif Latika Latoya Laura Laure Laureano Lauren Laurence Laurens Laurent Laurenz
    Lauretta Lauri Laurian Laurie Laurits Laus Laust Lavanya Lavinia Lawrence Laylo Laze Laziz
    Lazzaro Lea Leah Leana Leander Leandra Leandro Leanne Lee Leela Leena Leevi Lega Legawa Leia
    Leif Leigh Leila Leire Leke Lekha Lelia Lembah Lena Lene Leni Lenka Lenn Lennart Lennarth
    Leo Leocadia Leocadio Leokadia Leon Leona Leonard Leonardo Leoncio Leone Leonel Leonhard
    Leonid Leonie Leonor Leonora Leonore Leontin Leontina Leopold Leopoldina Leopoldine Leopoldo
    Leordean Lere Leroy Lerze Lesley Leslie Leszek Leticia Letizia Levente Levi Lewis Lex Leyla
    Leyli Leyre Lezize Li Lia Liam Liana Liane Liberto Libni Libor Licia Lidia Lidija Lidwina
    Lidya Lieke Liesa Liesbeth Lieschen Liesel Lieselotte Lieve Ligia Liisa Lila Lili Lilia
    Lilian Liliana Liliane Lilija Lilja Lilla Lillemor Lilli Lillian Lilly Lilo Lily Liman Limar
    Limon Lina Linda Linde Lindsay Lindsey Line Linh Linn Linnea Lino Lintang Linus Lioara Lioba
    Lipika Lisa Lisandro Lisanne Lisbet Lisbeth Lise Liselott Liselotte Lisette Lissi Lissy Liv
    Liva Livia Livio Liviu Liwia Liz Liza Lize Lizz Lizzy Ljiljana Ljubica Ljudmila Lloyd Lo
    Lodovico Loek Loes Logan Lohit Loida Lois Loke Lola Lolita Lona Londisizwe Londiwe Lone Loni
    Lonnie Lopa Lope Loraine Lorcan Lore Loredana Lorelei Lorena Lorenz Lorenza Lorenzo Loreto
    Loretta Loretto Lori Lorin Lorna Lorraine Lot Lothar Lotta Lotte Lotti Loui Louie Louis
    Louise Lourdes Lova Love Lovis Lovisa Lowe Loyola Luan Luana Luara Luc Luca Lucas Lucca Luce
    Luchino Lucho Lucia Lucian Luciana Luciano Lucie Lucila Lucinda Lucio Lucky Lucrezia Lucy
    Ludger Ludmila Ludmilla Ludovic Ludovica Ludovico Ludvig Ludwig Ludwina Luhung Luigi Luigina
    Luis Luisa Luise Luisina Luitgard Luiza Luka Lukas Luke Lukita Lukman Luluh Lulut Luna
    Lungile Lunna Lupe Lupita Lurhur Lutfan Lutfi Luthfi Lutz Luuk Luwar Luwes Luyanda Luz Luzia
    Luzie Lwandile Lydia Lykke Lynda Lyndon Lyndsay Lyndsey Lynn Lynne Lynsey Maaike Maanas
    Maanav Maaria Maarit Maarten Maartje Mac Macarena Macaria Macario Macauley Macide Maciej
    Mackenzie Madaha Madalena Madeleine Madelene Madelief Madeline Madhav Madhavi Madina Madini
    Madison Madlen Madoa Mads Maeve Mafalda Maftuna Magarete Magda Magdalena Magdalene Magdolna
    Maggie Magne Magnus Magret Magrit Mahali Mahdi Mahesa Mahfud Mahika Mahir Mahmoud Mahmud
    Mahmut Mahnaz Mahsun Mahter Mahulena Mai Maia Maida Maighread Maija Maik Maike Maiken
    Maimunah Maire Mairead Mairin Mairtin Maisha Maite Maj Maja Majani Majella Majken Majvor
    Makara Makayla Makini Maks Maksur Maksymilian Makunga Makuta Makuu Mala Malachy Malak
    Malcolm Malena Malene Malgorzata Malik Malika Malin Maliza Mallory Malou Malte Malthe Malva
    Malvina Malwina Maman Mamen Manaf Manah Manan Manbir Mandla Mandlakhe Mandy Manfred Manja
    Manola Manole Manolo Manon Mansurali Manthan Manu Manuel Manuela Manuelita Manuella Manus
    Manya Maqsud Mar Mara Maras Marc Marcantonio Marcel Marcela Marcelina Marcelino Marcell
    Marcella Marcelle Marcello Marcelo Marcheta Marcia Marcial Marciano Marcin Marcio Marco
    Marcos Marcu Marcus Mare Mareen Mareike Mareile Marek Maren Marese Marga Margana Margaret
    Margareta Margarete Margaretha Margarethe Margarida Margarita Margaud Margaux Margherita
    Margit Margita Margitta Margot Margret Margrethe Margrit Marguerite Mari Maria Mariadi
    Mariah Mariam Marian Mariana Mariane Marianela Mariann Marianna Marianne Mariano Maribel
    Marica Maricela Maricica Maricruz Marie Mariechen Mariele Marieluise Marietta Marija Marijan
    Marijn Marika Marilena Marilyn Marin Marina Marine Marinela Marini Marino Marinus Mario
    Marioara Mariola Marion Marisa Marisela Marisol Marissa Maristela Marit Marita Maritta
    Marius Mariusz Marja Marjaana Marjan Marjani Marjatta Marjo Marjona Marjorie Marjukka Marjut
    Mark Marketta Markku Marko Markus Marleen Marlen Marlene Marlies Marliese Marlis Marsito
    Marsudi Mart Marta Martaka Martana Martani Marte Marten Martha Marthe Martim Martin Martina
    Martine Martino Martirio Martta Martti Martyn Marvin Marwata Mary Maryadi Maryam Maryanto
    Maryse Marzena Masar Mason Massimiliano Massimo Masume Matei Mateo Mateus Mateusz Matheo
    Matheus Mathew Mathias Mathijs Mathilda Mathilde Matias Matilda Matilde Mato Mats Matteo
    Matthew Matthias Matthieu Matthijs Matti Mattia Mattias Matts Matunda Maua Maud Mauno Maura
    Maureen Mauri Maurice Mauricio Maurilio Maurits Mauritz Maurizio Mauro Maurycy Mavuno Max
    Maxi Maxim Maximiano Maximilian Maximiliano Maximino Maxine Maxwell May Maya Maynur Maysa
    Mayte Mazlum Mcebisi Mckenzie Meabh Meagan Meaghan Mechthild Mechthilde Mechtild Mecide
    Mecit Meera Mees Mefarettin Mefharet Meg Megan Megha Meghan Meghana Mehdi Mehdiqulu Mehdiye
    Mehin Mehman Mehmed Mehmet Mehmetzahir Mehrimoh Meibh Meik Meike Meinhard Meinolf Meinrad
    Meja Mekhala Mel Melaha Melania Melanie Melchor Meleknur Melihcan Melikkan Melina Melinda
    Melisa Melissa Melita Melitta Melker Melle Melody Melvin Melwin Memili Menfeat Mengi Meral
    Merba Mercedes Merche Merdi Meredith Merel Merete Merethe Merijn Merim Merja Merle Mertel
    Merva Mervi Mervin Mervyn Meryem Meryeme Merzuk Mestur Mesude Mesut Meta Metin Metinkaya
    Mette Meveddet Meyhanim Meyransa Mezide Mia Micael Micaela Miceal Micha Michael Michaela
    Michaele Michail Michal Michala Micheal Micheala Michel Michela Michelangelo Michele
    Micheletto Michell Michelle Michelotto Mick Mie Mieszko Miguel Miguela Mihaela Mihai Mihail
    Mihin Mihnea Mihrab Mihriye Miia Miika Mijo Mik Mika Mikael Mikaela Mikayla Mike Mikhail
    Mikkel Mikko Mila Milada Milagros Milan Milana Milay Milena Milica Milka Milla Mille Milo
    Milos Miloslav Miloslava Milou Milton Mimi Mimmi Mina Mindy Minenhle Minerva Minh Minibe
    Minna Minodora Mio Mioara Miodrag Mira Mirabela Miran Miranda Miray Mirbadin Mircea Mirco
    Mireia Mirela Mirella Miriam Mirja Mirjam Mirjami Mirjana Mirko Miro Miron Mirona Mironshoh
    Miroslav Miroslava Miroslaw Miroslawa Mirta Mirte Mirthe Miruna Mishat Misra Misty Misuli
    Mitali Mitchel Mitchell Mitesh Mitra Mitzy Miyesser Mkarkara Mlungisi Mnqobi Moa Modesta
    Modesto Modupe Mofifoluwa Mogens Mohamad Mohamed Mohamedi Mohammad Mohammed Mohini Mohinur
    Mohlaroyim Moira Mojisola Mojisoluwa Mollie Molly Mona Monalisa Monica Monika Monique Monis
    Monja Montserrat Moradeke Morayo Morena Morenike Moreno Morgan Moritz Morolake Morris Morten
    Mortimer Mosinmileoluwa Mosunmola Motunrayo Moya Moyosore Mrihani Mthokozisi Muarra Mubina
    Mucahit Mufide Mugdha Mugur Mugurel Muhammad Muhammadali Muhammadamin Muhammadamir
    Muhammadayub Muhammadaziz Muhammadrizo Muhammadsafo Muhammadsodiq Muhammadsolih Muhammadumar
    Muhammadyasin Muhammadyusuf Muhammadziyo Muhammed Muhammet Muharrem Muhima Muhip Muhiye
    Muhsina Muhyettin Muireann Muizza Mujde Mujur Mukbile Muktedir Mulele Mulya Mulyanto Mulyono
    Mumpuni Mumtoz Muni Munisa Murad Murat Muratcan Muriel Murilo Murod Mursalina Mursinin
    Mursita Murti Musa Musafet Musaffa Musfira Mushtariy Musila Muslim Muslima Mustafa Mustafo
    Mustika Mustofa Mutia Mutluhan Muvaffak Muvahhide Muxlisa Muxtar Muzaffer Muzayyana
    Muzdalifa Mwamini Mwasaa Mwezi My Myles Myra Myriam Myrthe Mzamo Nabil Nabila Nachiket Nacho
    Nacio Nada Nades Nadeschda Nadeshda Nadia Nadin Nadine Nadir Nadja Nae Nafii Nafile Naiara
    Naide Naimh Nair Naja Najam Najib Najuma Najwa Naki Nakif Nakip Naksh Nakul Nalar Nam Namiq
    Nana Nancy Nandini Nando Nanna Nanni Naoimh Naoise Naomh Naomi Napoleone Naradi Narcis
    Narcisa Narciso Nardi Narhanim Narji Nas Nasab Nashipie Nasiba Nasim Nasra Nasrullah Nasuf
    Natali Natalia Natalie Natalija Natalio Natalja Natan Natanael Nataniel Natascha Natasha
    Natasja Natasza Natella Nath Nathalie Nathan Nathaniel Nathari Natiq Natividad Naud Naveen
    Nayara Nayeli Nayfa Nayil Naz Nazaret Nazario Nazende Nazi Nazim Nazimet Nazir Nazlihan
    Nazlim Ndumiso Nea Neal Neasa Nebih Nebiha Necati Necdat Nechifor Necilal Necmettin Necva
    Nedda Neel Neelima Nefaret Nefiye Neha Nehip Neil Neill Nejdet Nela Nelah Nelli Nellie Nelly
    Nelson Nelu Neo Nerea Nereida Neriban Nerim Nermin Nesfe Nesip Neslinur Nessa Nete Netra
    Neval Nevenka Nevgin Neville Nevise Nevsal Nevsale Neyran Nezihi Nezize Ngamia Ngeni
    Nhlanhla Nial Niall Niamh Niara Nicanor Nicat Nichifor Nichola Nicholas Nichole Nick Nicklas
    Niclas Nico Nicodemo Nicodim Nicola Nicolae Nicolai Nicolaie Nicolaj Nicolas Nicolasa
    Nicolaus Nicole Nicoleta Nicoletta Nicoline Nicu Niculina Nidhi Nidia Nidra Niek Niels
    Nienke Nieves Nigar Nigel Nigesa Nihad Nihai Nihal Nihan Niharika Niilo Niina Nikita Nikki
    Niklas Niko Nikodem Nikol Nikola Nikolai Nikolaj Nikolaos Nikolas Nikolaus Nikolett
    Nikoletta Nilam Nilcan Nilda Nili Nilima Nilo Nils Nilufar Nimrat Nina Ninetta Ninioluwa
    Nino Ninthe Nirja Nisa Nisha Nitara Nitesh Niyaga Niyaz Niyazi Niyilolawa Njabulo Njozi
    Nkazimulo Noa Noah Nobantu Nobuhle Noel Noeleen Noelia Noeline Noelle Noemi Noirin Nokulunga
    Noleen Nollaig Nomagugu Nomalanga Noman Nomasonto Nomathalente Nomathemba Nomcebo
    Nomthandazo Nomusa Nomvula Nonhlanhla Nonjabulo Noor Noora Noortje Nora Norah Norbert
    Norberto Noreen Norica Norma Norman Notburga Nothando Noud Nour Nout Nova Novi Novruz Noxolo
    Nozibusiso Nozima Nozizwe Nqobizitha Nrima Ntimi Nuala Nugraha Nuhu Nula Nuno Nura Nural
    Nuran Nuray Nurbanu Nurcan Nurda Nurdeniz Nuretdin Nurettin Nurey Nurgil Nurhayet Nuri Nuria
    Nuriat Nuriya Nuriyet Nurkan Nurlan Nurlana Nurmelek Nurmuhammad Nurseda Nurser Nursim
    Nurten Nuru Nurul Nurulla Nurullah Nurveren Nuyan Nwabudike Nyana Nyasi Nydia Nynke Nyoka
    Nyoman Nyoni Nyota Nyuki Oana Oba ObaniJesu Obdulia Octav Octavia Octavian Octaviana Octavio
    Octaviu Oda Odalis Odalys Odd Odeline Odette Odhran Odika Odina Oeshi Ofelia Ofeliya Oganer
    Ogooluwa Oisin Oiva Ojas Ojasvi Okanay Okbay Oke Okseven Okta Okto Okyalaz Ola Oladare
    Oladimeji Olaf Olajumoke Olakunle Olalla Olanrewaju Olansile Olasunmbo Olav Olavi Olca Ole
    Olegario Olena Olfert Olga Olgierd Olimpia Olimpian Olimpiu Oliva Olive Oliver Olivia Olivie
    Olivier Oliviu Oliwer Oliwier Olle Olli Olof Ololade Olov Olufunke Olufunmilayo Olumorotimi
    Oluwafemi Oluwagbemiga Oluwakemi Oluwamumibori Oluwamuyiwa Oluwasanmi Oluwasegun Oluwole
    Olwen Olwethu Om Omaca Omaja Oman Omar Omina Omisha Omkaar Omobobola Omobolanle Omodunni
    Omolabake Omolara Omosalewa Omotara Omotayo Omotola Omotoun Omowumi Omya Onat Ongay Oni
    Onkar Onni Onofre Onuker Onurcan Onursu Onveer Oona Oonagh Opan Ophelia Opung Opwonya Oqtay
    Oran Orazio Orduxan Oreofe Oreste Orfhlaith Orhan Oriana Orinder Orla Orlagh Orlaigh Orlaith
    Orlando Orna Ornella Orsolya Ortak Ortansa Ortrud Ortrun Ortwin Orvokki Orxan Oscar Osha
    Osiyo Oskar Oskari Osman Osmo Osogo Ossi Ossian Osunleke Osvald Osvaldo Oswald Oswaldo Oswin
    Otabek Otakar Otay Otfried Othmar Otilia Otmar Oto Ottavio Ottfried Ottilia Ottilie Ottmar
    Otto Ottokar Ottomar Ottone Outi Ove Ovidio Ovidiu Oviya Owe Owen Owethu Oxana Oyenike
    Oyindasola Oymak Oysha Ozana Ozy Paavo Pablo Paca Paco Padma Padmi Padraic Padraig Padraigh
    Padraigin Pahal Paige Paiman Paker Paksu Pallavi Palle Palmira Paloma Pam Pambe Pamela
    Pamfil Panagachie Panait Panca Pancho Pandu Panfilo Pangeran Pangestu Panini Panji Panya
    Paola Paoletta Paolo Paramita Paraschiva Pardi Paride Paris Parker Parman Parth Pascal
    Pascale Paschal Pascual Pascuala Pasi Paskalia Pasqual Pasquale Pastor Pastora Patric
    Patrice Patricia Patricie Patricio Patrick Patrik Patrizia Patrizio Patryk Patty Paul Paula
    Paulette Pauli Paulica Pauliina Paulin Paulina Pauline Paulino Paulo Pauric Pavani Pavel
    Pavla Paw Pawel Paye Paz Peadar Peader Pearce Pearl Pearse Peder Pedro Peer Peggy Pehlil
    Pekka Pekkan Pelaji Pelayo Pelle Pellegrino Pembesin Penelope Penny Pentti Pepe Pepijn
    Pepita Pepito Per Peren Perinur Perkasa Perla Perlita Permun Pernilla Pernille Pero Perry
    Pertti Pesent Petar Pete Peter Petr Petra Petre Petri Petrina Petrona Petronela Petros Petru
    Petter Petteri Phelim Phileine Philip Philipp Philippe Philippine Phillip Philomena Phoebe
    Phyllis Pia Piaras Piedad Pien Pier Pierangelo Pierce Piergiorgio Piergiuseppe Pierina
    Pierluigi Piermaria Piero Pierpaolo Pierre Piersanti Pieter Pietra Pietro Piia Pilar Pili
    Pim Pina Piotr Pippa Pirahmet Piran Pirjo Pirkko Pirmin Piroska Pius Pleun Plinio Polad
    Polina Polly Pompeo Pompilia Pompiliu Pomponio Poncio Pontus Pooja Popobawa Porfirio Poul
    Praba Prabawa Prabowo Prabu Prakosa Pranata Pranav Pranawa Praneel Pranit Prasetya Prasetyo
    Pratyush Prayitna Prayoga Prayogo Preben Preston Prima Primitiva Primitivo Priscila
    Priscilla Prisha Priska Priya Profira Prudencia Prudencio Puccio Puck Puji Puk Pumbaa Puput
    Purwa Purwadi Purwanto Pushti Puspa Puti Putri Putu Qabil Qadim Qadir Qalib Qaratel Qarin
    Qasim Qiyas Qori Quang Queen Quincy Quinn Quinten Quinty Quique Quirino Qulam Qulu Qumru
    Qushi Raagini Rabbiye Rabea Rabih Rachael Rachana Rachel Rachelle Rachit Rachita Rada Radek
    Radeke Raden Radha Radhika Radika Radim Radit Raditya Radka Radmila Radoslav Radovan Radu
    Rael Raf Rafa Rafael Rafaela Raffaele Raffaella Raffaellino Raffaello Rafi Rafia Rafid Rafih
    Rafila Rafiq Raghav Ragna Ragnar Ragner Ragnhild Raharja Rahayu Rahel Rahiye Rahman Rahmat
    Rahmet Rahmi Raihan Raija Raik Raili Raimo Raimondo Raimund Raimundo Raina Rainer Raisa
    Raissa Rajata Rajeshri Rakide Raksha Ralf Ralph Raluca Rama Ramadan Ramazan Ramid Ramil
    Ramiro Ramiz Ramon Ramona Rana Ranbir Randall Randi Randolf Randy Rangga Ranieri Ranveer
    Raphael Raphaela Raquel Rashidi Rasim Rasmus Rasul Ratih Ratna Raul Rauno Raven Ravi Ravy
    Ray Rayaan Rayan Rayhona Rayla Raymond Raymund Rayyona Razi Rebeca Rebecca Rebecka Rebeka
    Rebekah Rebekka Rebihat Recep Recepali Redmond Reece Refet Refik Regan Regina Reginald
    Regine Regitse Regitze Rehaan Rehime Reidun Reijo Reimar Reimer Reimund Reina Reinald
    Reinaldo Reine Reiner Reingard Reinhard Reinhardt Reinhart Reinhild Reinhilde Reinhold Reino
    Reksa Relu Remazan Rembrandt Remedios Remigio Remo Remus Rena Renan Renata Renate Renato
    Rendy Rene Renee Reni Rens Renske Renzo Reshoni Resi Respati Restu Resulcan Reuben Reva
    Revza Reyansh Reyes Reyhan Reyna Reynaldo Reza Rezin Rezzak Rhavi Rhian Rhianna Rhianne
    Rhiannon Rhona Rhonda Rhys Ria Rian Rica Ricarda Ricardo Riccardo Ricciotti Richard Richardt
    Rick Rickard Rickey Ricky Rico Ridhi Ridwan Rigmor Rigo Riikka Riitta Rik Rika Rikard Rikke
    Riku Riley Rina Rini Risalet Risasi Rishi Risto Rita Ritt Ritva Riya Riyad Riza Rizki Rizvan
    Roan Roar Robbie Robby Robert Roberta Robertina Roberto Robin Robiya Robyn Rocco Rochus
    Roderich Roderick Rodger Rodica Rodney Rodolfo Rodrigo Rogelio Roger Rohan Rohat Roise
    Roisin Rojnu Roksana Roland Rolando Rolf Roman Romana Romeo Romina Romolo Romuald Romulus
    Romy Ron Rona Ronald Ronaldo Ronan Ronith Ronja Ronke Ronni Ronnie Ronny Roope Roos Roosa
    Roque Rory Rosa Rosaleen Rosalia Rosalie Rosalina Rosalinda Rosalinde Rosalva Rosanna
    Rosanne Rosaria Rosarie Rosario Rosaura Rose Roseanna Rosel Roselinde Rosemarie Rosemary
    Rosenda Rosendo Rosi Rosie Rosina Rosita Rosl Roslyn Rosman Rosmarie Ross Rossa Rossana
    Rostislav Roswita Roswitha Rotraud Rotraut Rouven Rowan Rowena Roxana Roxelana Roy Roza
    Rozalia Roziya Rua Ruairi Ruari Rubani Ruben Ruby Rudi Rudolf Rudolph Rudra Rufina Rufino
    Ruggero Ruggiero Ruhide Ruhiu Ruhsat Ruhshona Rui Rumaysa Rumeysa Rune Rungo Rupert Ruperta
    Ruperto Ruqiya Rushil Ruslan Rusman Russell Rut Ruth Ruthild Ruxanda Ruxandra Ruy Ryan
    Ryszard Rza Saadat Saanvi Saar Saara Saba Saban Sabar Sabari Sabas Sabatino Sabih Sabihe
    Sabin Sabina Sabine Sabir Sabri Sabrina Sacha Sachi Sadaka Sadao Sadat Saddam Sadeti Sadia
    Sadiki Sadina Sadiq Sadittin Sadiye Safari Safet Safina Safinaz Safiri Safiya Safta Safura
    Saga Sahil Sahin Sahir Sai Said Saida Saiful Saire Saka Sakari Sakina Sakip Saksham Sakti
    Sakura Salami Saleh Salih Salimah Salimet Sally Salma Salman Salohiddin Salomea Salsabila
    Salud Salurbay Salvador Salvatore Salvi Salwa Sam Samahat Samaksh Samandar Samanta Samantha
    Samar Samarth Samesh Sami Samiah Samina Samir Samira Samiya Samsul Samu Samuel Samuli
    Samurtay Samweli Sanavber Sanaya Sancak Sancho Sanda Sandalio Sander Sandile Sandor Sandra
    Sandro Sandu Sandy Sanjar Sanna Sanne Sanni Sante Santeri Santiago Santino Santos Sanur
    Sanya Saoirse Sara Sarabi Sarafina Sarah Sardor Sari Sarina Sarita Sarthak Sarvan Sarvar
    Sarvinoz Sarya Sasha Saskia Sathvik Satrettin Satu Saturnina Saturnino Satya Saul Saumya
    Saundra Sauti Sava Savak Savannah Saverio Saveta Savina Savni Saydam Sayin Sayrak Scot Scott
    Seamus Sean Seana Seanan Seaneen Seanna Sebastiaan Sebastian Sebastiano Sebattin Seda Sedat
    Sedife Sefer Segilola Segismundo Seha Sehel Seif Seija Sejda Selaheddin Selatin Selcan
    Selcen Selena Seler Selim Selime Selina Selma Selmin Selvi Sem Semat Semender Semenica
    Semine Semra Semrin Senan Sencar Seniha Senn Senna Senol Senta Seona Seosamh Sep Sepp Seppo
    Septi Seracettin Serafina Serda Serena Serezli Serfinaz Serge Sergei Sergej Sergio Sergiu
    Sergius Serhatmehmet Serma Sernur Serol Serpil Server Servinaz Sessa Seth Setya Sevara
    Sevcan Sevdi Sevdinar Seve Sever Severiano Severin Severina Severino Severo Sevgen Sevginur
    Sevican Sevil Sevim Sevinc Sevinch Sevindik Sevla Sevsevil Seydo Seye Seyfulla Seyfullah
    Seyhan Seyithan Seymur Seyran Seyyide Sezal Sezen Shahina Shahnoza Shahriyor Shahzod
    Shahzoda Shakila Shane Shani Shania Shanice Shanna Shannan Shannen Shannon Shari Sharon
    Shaun Shauna Shauneen Shaurya Shawana Shawn Shawna Shay Shea Sheamus Sheela Sheelagh Sheena
    Sheila Shekoni Shelby Shelia Shelley Shelly Sheree Sheri Sherri Sherry Sheryl Shida Shiela
    Shinead Shirley Shivani Shivansh Shohjahon Shohrux Shona Shravya Shukrona Sian Sibel Sibilla
    Sibille Sibonelo Sibongile Sibusisiwe Sibusiso Sibylla Sibylle Sidar Siddharth Sidiq Sidki
    Sidonia Siegbert Siegfried Sieghard Sieglinde Siegmar Siegmund Siegrid Siegried Siegrun
    Siegward Siem Sienna Sierra Sifa Sigfrid Sigfrido Sigfried Sigge Sigismund Siglinde Sigmar
    Sigmund Signe Sigrid Sigrun Sigurd Sigvard Sihawukele Siiri Sijuade Siku Sil Silanur Silas
    Sile Silja Silje Silke Sille Silondile Silva Silvana Silvano Silvester Silvestre Silvestro
    Silvia Silvian Silviana Silvie Silvio Silviu Sima Simber Simen Simi Similoluwa Simina Simion
    Simisola Simo Simon Simona Simone Simonetta Simphiwe SimphiweyiNkosi Simten Sina Sinaida
    Sindre Sine Sinead Sini Sinikka Siobain Sioban Siobhain Siobhan Siofra Siper Siphesihle
    Sirac Sirap Siri Sirkka Sirpa Siska Sisko Sissel Sithembiso Siti Sittik Siv Sivert Sixten
    Siya Siyabonga Sjoerd Skolastika Slamet Slavica Slavko Slawomir Slobodan Smaranda Sneha
    Socorro Sofi Sofia Sofie Sol Sole Soledad Soleh Soliha Solma Solmaz Solveig Solvej Sona
    Sonad Sondre Songurkan Sonia Sonja Sonnur Sonny Sonya Sophia Sophie Soraia Sorana Soraya
    Sorcha Sorin Sorina Sosimo Sowande Soydaner Soykan Soykut Spencer Sphiwe Stacey Stacie Stacy
    Staffan Stan Stana Stanca Stancu Stanislaus Stanislav Stanislava Stanislaw Stanley Stavros
    Steen Stef Stefan Stefani Stefania Stefanie Stefano Steffen Steffi Stein Steinar Stela
    Stelian Steliana Stella Stellan Sten Stephan Stephanie Stephany Stephen Sterre Steve Steven
    Stewart Stian Stig Stijn Stilla Stina Stine Stjepan Stuart Sture Suat Subomi Subutiye Suci
    Sudi Sudiksha Sue Suhani Sulhi Sultane Sumayya Summer Sunay Sune Sunel Sungara Suphi Surya
    Susam Susan Susana Susanita Susann Susanna Susannah Susanne Suse Susi Sussanne Sussie Suus
    Suvi Suzana Suzanne Suze Svante Svatopluk Svatoslav Svea Svein Sven Svenja Svenning Sverre
    Svetlana Swala Swantje Swen Swetlana Syahrini Sybilla Sybille Sydney Sylke Sylvana Sylvester
    Sylvia Sylvie Sylvio Sylwia Sys Szabolcs Szilveszter Szilvia Szymon Tabea Tabitha Taciddin
    Tade Tadeo Tadeusz Tadhg Tage Tahir Taina Taisto Takatifu Talayer Tali Talia Talibe Tamanna
    Tamara Tambika Tami Tamilla Tammie Tammy Tamu Tan Tanak Tanay Tanbay Taneli Tanhan Tania
    Tanish Tanja Tanmayi Tanner Tanses Tansev Tantri Tanveer Tanvi Tanya Tanyu Tapani Tapio Tara
    Tarak Tari Tariyel Tarja Taru Tasdik Tasha Tasnim Tassilo Tasvir Taswir Tatiana Tatjana Tatu
    Taufan Taufik Tauno Taygan Taylak Taylor Tayyibe Tayyip Teber Tecimer Tecla Ted Teddy Tedi
    Teea Teemu Teerth Teguh Teija Tejas Tejs Tekbay Tekecan Tekiner Teknaz Teksoy Telemaco Telim
    Tellervo Telman Telmo Telse Temidayo Temime Temir Temirhan Temistocle Temizkal Tenvir Teo
    Teobaldo Teodor Teodora Teodoro Teodosia Teodosio Teofil Teohari Teona Tercan Tere Terence
    Teresa Terese Teresia Teresita Tereza Terhi Terje Terlan Tero Terrance Terrence Terri Terry
    Terttu Tess Tessa Teun Teuvo Tevs Teybet Teymur Teymuraz Tezcan Tezol Thabani Thabisa
    Thabisile Thabiti Thaddeus Thalente Thales Thandazile Thandeka Thandiwe Thando Thea Theda
    Thekla Thelma Thembeka Thembekile Thembile Thembisile Theo Theobald Theodor Theodora
    Theodore Theodoro Theodoros Theres Theresa Therese Theresia Thi Thiago Thibault Thibaut
    Thierry Thies Thijmen Thijn Thijs Thilo Thom Thomas Thor Thoralf Thorben Thore Thorsten
    Thure Thuthukile Tia Tiago Tiara Tiarna Tiarnan Tiberia Tiberiu Tibor Tiburcio Ticen Tiegan
    Tiernan Ties Tiffany Tiia Tiina Tijmen Tijn Tijs Tilda Tilde Till Tillmann Tilly Tilman
    Tilmann Tilo Tim Timbul Timea Timm Timmy Timo Timotei Timoteo Timothy Tina Tinca Tindra Tine
    Tino Tira Tirta Tirtayasa Tirza Tisa Titi Titilayo Titin Tito Titus Tivadar Tiziana Tiziano
    Tobias Tobiasz Toby Todd Todor Tofiq Toivo Toker Toki Tokunbo Tola Tolonbay Tolulope
    Toluwanimi Tom Toma Tomas Tomasa Tomasz Tomi Tomislav Tommi Tommy Tomori Tomris Tomurcuk
    Tone Toni Tonia Tonicha Tonino Tonje Tonny Tony Tonya Topias Topuz Tor Tora Toralf Torben
    Tord Tore Torgny Torhan Tori Toribio Torill Torquato Torsten Tory Tova Tove Tovuz Toy Tracey
    Traci Tracie Tracy Traian Traude Traudel Traudl Traugott Traute Travis Treacy Treasa Trevor
    Tri Tricia Trina Trine Trini Trinidad Triona Tripti Tristan Triveni Triya Troels Trond Troy
    Trude Trudel Trudi Trung Tudor Tudora Tudosia Tuere Tufani Tugiman Tuija Tukufu Tule Tullio
    Tulun Tunahan Tunar Tuomas Tuomo Turabi Tural Turan Turcein Ture Turgut Turid Turlough Turvi
    Turxan Tutkucan Tutkun Tutu Tuukka Tuula Tuuli Tuulia Tuulikki Tuva Twan Tycho Tygo Tyler
    Tymon Tymoteusz Tyra Tyrone Ubaldo Uberto Ubika Ucchal Uchita Uda Udant Udarsh Udeera Udo
    Udyati Uffe Ufukay Ugo Ugolino Ujamaa Ulakbey Ulduz Ulf Uli Ulises Ulla Ullrich Ulrica
    Ulrich Ulrik Ulrika Ulrike Ultan Ulu Uluman Ulutay Ulva Ulya Umande Umang Umar Umay Umaya
    Umberto Umi Ummahani Umman Umoja Umutcan Una Undine Unggul Unjani Unnati Unni Uno Uolevi
    Upadhriti Upasna Upik Upkaar Upma Uraltay Urban Urbano Urfan Urhan Uriel Urishilla Urmi Urs
    Ursel Ursula Urszula Urte Urvashi Urvi Us Uschi Ushan Ushindi Usiku Usman Usmon Usyi Uta
    Utama Ute Utkarsh Utkucan Utz Uwe Uyanser Uygun Uzbay Uzima Uzsoy Vacibe Vadim Vafir Vagn
    Vahid Vahittin Vaishnavi Valborg Valdemar Valeh Valentijn Valentim Valentin Valentina
    Valentine Valeri Valeria Valerie Valerij Valerio Valeriu Valero Valeska Valid Valter
    Valtteri Vamakshi Vanda Vanesa Vanessa Vanja Vansha Vanya Vaqif Varenya Varsha Varvara
    Vasana Vasatika Vasco Vasif Vasile Vasilica Vassilios Vasudha Vasyl Vaysal Vazeh Vecide Veda
    Vedant Vedat Vedhika Vedika Veer Veera Veerle Veeti Vefia Vega Vegard Veijo Veikko Veis Veit
    Veli Velitdin Venancio Vendela Vendula Venera Veniamin Venla Vera Verde Verena Verim Verner
    Verneri Vernon Vero Veronica Veronika Veronique Vesa Vesna Veta Vezat Vezrife Vi Vicenta
    Vicente Vicki Vickie Vicky Victoire Victor Victoria Victoriano Victorino Vidadi Vidal Vidar
    Vide Vidhi Viggo Vigo Vihaan Viivi Viking Viktor Viktoria Viktorie Vildane Vilde Vilgot
    Vilhelm Vilhelmiina Vilhelmina Vilho Viljami Viljo Villads Ville Vilma Vilmer Vilmos Viman
    Vinaya Vince Vincent Vincentio Vincenza Vincenzo Vinicio Vinicius Vinko Vino Vinsen Vinzenz
    Viola Violet Violeta Violetta Viorel Viorela Viorica Viraj Virgilio Virginia Virginie
    Viridiana Virman Virpi Visarion Vitali Vito Vitor Vittoria Vittorio Vitus Vivaan Viveka Vivi
    Vivian Viviana Viviane Vivianne Vivien Vivienne Vlad Vladimir Vladislav Vlado Vlaicu Vlasta
    Vlastimil Voicu Volker Volkhard Volkmar Vratislav Vrinda Vrishti Vritti Vuokko Vusumuzi
    Vyanjana Waceera Wadi Wage Wahab Wahyu Waida Wakeeta Wakiman Walburga Waldemar Waldtraut
    Walentina Walfried Walli Wally Walter Walther Waltraud Waltraut Waltrud Waluyo Wamwema Wanda
    Wani Warda Wardaya Wardi Warhi Waridi Warinder Warjas Warji Warren Warsa Warsita Warta
    Waseme Wasis Watika Wawan Wayne Wazir Weena Wenche Wencke Wendelin Wendolin Wendy Wenke
    Wenzel Wera Werner Wesley Wessel Whitney Wibke Widisha Widya Wiebke Wieland Wieslaw Wigbert
    Wiktor Wilfredo Wilfrido Wilfried Wilfriede Wilhelm Wilhelmina Wilhelmine Wille Willem
    Willfried Willi William Willibald Willibert Willie Willy Wilma Wilmer Wilson Wiltrud Winda
    Winfried Winifred Winni Winnie Wira Wirda Wishi Wisnu Witold Wladimir Wojciech Woldemar Wolf
    Wolfgang Wolfhard Wolfram Wout Wouter Wriddhish Wridesh Wulan Wulf Wuraola Wyatt Xalak Xalid
    Xaliq Xamis Xanana Xanlar Xaver Xavi Xavier Xenia Ximena Xiomara Xiti Xolid Xosrov Xudaverdi
    Xudayar Xudu Xumar Yachana Yadavi Yadigar Yagnesh Yago Yahvi Yahya Yahyo Yaiza Yakobo
    Yalazabay Yamin Yamini Yan Yance Yani Yannick Yaqub Yara Yasan Yasemen Yasemin Yash Yashasvi
    Yashawini Yashica Yashoda Yashodhara Yashvi Yasin Yasina Yasinta Yasmin Yasmina Yasmine
    Yassin Yasti Yatan Yatin Yauvani Yavuz Yayak Yazganalp Yda Yejide Yekbun Yekda Yelesen
    Yeneral Yeni Yepelek Yertan Yesenia Yessi Yetunde Yewande Yfke Yigit Yilmaz Yinthe Ylva
    Yngve Yochana Yoga Yohana Yohane Yolal Yolanda Yono Yosef Yoshita Yosma Yousef Youssef Yrsa
    Yug Yulia Yuliana Yuni Yunis Yunita Yunt Yunus Yurdanur Yurdaser Yuri Yuridia Yurtseven
    Yusif Yusuf Yutika Yuvraj Yves Yvette Yvonne Zac Zach Zacharias Zacharie Zachary Zaenab
    Zaharia Zahfer Zahid Zahir Zahnya Zahra Zahro Zahur Zaid Zaida Zaira Zaitra Zaituni Zak
    Zakaria Zakariyo Zakhele Zakir Zakiyaxon Zaliha Zalindra Zaman Zamfir Zamfira Zamin Zamiq
    Zamir Zamira Zansi Zara Zaraza Zarina Zarna Zashil Zaur Zayan Zayd Zaynab Zayyan Zbigniew
    Zdenka Zdislava Zdravko Zebirce Zeferino Zehaan Zehnia Zehra Zehranur Zekayi Zeki Zelaya
    Zelda Zelha Zeljko Zelma Zemfira Zemzem Zende Zenia Zennun Zeno Zenobia Zenon Zenovia Zenta
    Zenzele Zenzile Zerafet Zeride Zeynal Zeynelabidin Zeynep Zeyno Zeynulla Ziba Zibuyile Ziggy
    Zihni Zikmund Zilfa Zilmil Zina Zinal Zinhle Zinnura Zinnure Zita Ziya Ziyaettin Zizi Zlatko
    Zoe Zoey Zofia Zoltan Zora Zoraida Zoral Zoran Zsanett Zsigmond Zsolt Zsombor Zsuzsanna Zuba
    Zubayr Zubeyde Zuhri Zulaikha Zulfa Zumaridi Zuwena Zuzana Zwatie
    """.split()
)
